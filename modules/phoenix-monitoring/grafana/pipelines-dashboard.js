'use strict';
/**
 * The pipelines dashboard (phoenix-core; see generate-dashboards.js): ingest, rejections, latency, series per
 * pipeline, store, and the memory and CPU of every service.
 */
/**
 * @param {import('./generate-dashboards').Builders} builders
 * @returns {import('./generate-dashboards').Dashboard}
 */
module.exports = ({ dashboard, timeseries, row, q, JOB, SERVICES }) => {
  return dashboard({
    uid: 'phoenix-pipelines',
    title: 'Phoenix / Pipelines',
    description: 'phoenix-core: ingest, rejections, latency, series per pipeline, store, and the memory and CPU of every service.',
    panels: [
      row('Ingest'),
      timeseries('Data points accepted per second', [q(`sum by (protocol) (rate(phoenix_receiver_data_points_total{${JOB.core},outcome="accepted"}[$__rate_interval]))`, '{{protocol}}')]),
      timeseries('Export requests per second', [q(`sum by (protocol, outcome) (rate(phoenix_receiver_requests_total{${JOB.core}}[$__rate_interval]))`, '{{protocol}} {{outcome}}')]),
      timeseries('Request latency', [
        q(`histogram_quantile(0.5, sum by (le, protocol) (rate(phoenix_receiver_request_duration_seconds_bucket{${JOB.core}}[$__rate_interval])))`, 'p50 {{protocol}}'),
        q(`histogram_quantile(0.99, sum by (le, protocol) (rate(phoenix_receiver_request_duration_seconds_bucket{${JOB.core}}[$__rate_interval])))`, 'p99 {{protocol}}'),
      ], { unit: 's' }),
      timeseries('Rejections per second', [
        q(`sum by (reason) (rate(phoenix_receiver_rejections_total{${JOB.core}}[$__rate_interval])) or vector(0)`, 'request: {{reason}}'),
        q(`sum by (reason) (rate(phoenix_receiver_rejected_data_points_total{${JOB.core}}[$__rate_interval])) or vector(0)`, 'point: {{reason}}'),
      ]),
      row('Series'),
      timeseries('Series per pipeline (core)', [q('phoenix:pipeline_series', '{{pipeline}}')]),
      timeseries('Samples per scrape of each endpoint (Prometheus)', [q('phoenix:scraped_series', '{{pipeline}}')]),
      timeseries('optimized: series under each profile (same input)', [q(`phoenix_optimized_series_by_profile{${JOB.core}}`, '{{profile}}')]),
      timeseries('experimental_topk: streams and k', [q(`phoenix_topk_streams{${JOB.core}}`, 'streams'), q(`phoenix_control_topk_k{${JOB.core}}`, 'k')]),
      timeseries('Store: input series', [q(`phoenix_store_series{${JOB.core}}`, 'series'), q(`phoenix_store_families{${JOB.core}}`, 'families')]),
      timeseries('Store: series created / expired per second', [
        q(`rate(phoenix_store_series_created_total{${JOB.core}}[$__rate_interval])`, 'created'),
        q(`rate(phoenix_store_series_expired_total{${JOB.core}}[$__rate_interval])`, 'expired'),
      ]),
      timeseries('Render time of each endpoint (p99)', [
        q(`histogram_quantile(0.99, sum by (le, exporter) (rate(phoenix_exporter_render_seconds_bucket{${JOB.core}}[$__rate_interval])))`, '{{exporter}}'),
      ], { unit: 's' }),
      timeseries('Generators: series per export and export outcomes', [
        q(`phoenix_generator_export_series{${JOB.generators}}`, 'series per export'),
        q(`sum by (outcome) (rate(phoenix_generator_exports_total{${JOB.generators}}[$__rate_interval]))`, 'exports/s {{outcome}}'),
      ]),
      row('Processes'),
      timeseries('Resident memory', [q(`process_resident_memory_bytes{${SERVICES}}`, '{{job}}')], { unit: 'bytes' }),
      timeseries('CPU (cores)', [q(`rate(process_cpu_seconds_total{${SERVICES}}[$__rate_interval])`, '{{job}}')], { unit: 'short' }),
      timeseries('V8 heap used', [q(`nodejs_heap_size_used_bytes{${SERVICES}}`, '{{job}}')], { unit: 'bytes' }),
      timeseries('Event loop lag p99', [q(`nodejs_eventloop_lag_p99_seconds{${SERVICES}}`, '{{job}}')], { unit: 's' }),
    ],
  });
};
