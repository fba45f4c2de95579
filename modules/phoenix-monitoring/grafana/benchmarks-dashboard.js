'use strict';
/**
 * The benchmarks dashboard (phoenix-validation; see generate-dashboards.js): runs and their verdicts, and what
 * the control loop and the pipelines did while a run was in flight (the run's own load through the generators).
 * The full result of a run, with its SLO checks, is in its HTML report: GET :8083/api/v1/benchmarks/{id}/report.
 */
/**
 * @param {import('./generate-dashboards').Builders} builders
 * @returns {import('./generate-dashboards').Dashboard}
 */
module.exports = ({ dashboard, timeseries, stat, row, q, JOB }) => {
  const inFlight = `max(phoenix_validation_run_in_flight{${JOB.validation}})`;
  const runWindow = {
    matcher: { id: 'byName', options: 'run in flight' },
    properties: [
      { id: 'custom.drawStyle', value: 'bars' },
      { id: 'custom.fillOpacity', value: 15 },
      { id: 'custom.axisPlacement', value: 'hidden' },
      { id: 'color', value: { mode: 'fixed', fixedColor: 'purple' } },
      { id: 'max', value: 1 },
    ],
  };
  return dashboard({
    uid: 'phoenix-benchmarks',
    title: 'Phoenix / Benchmarks',
    description: 'Benchmark runs of phoenix-validation (POST :8083/api/v1/benchmarks) and the loop during them.',
    from: 'now-3h',
    panels: [
      stat('Run in flight', [q(inFlight)], {
        mappings: [{ type: 'value', options: { 0: { text: 'idle', color: 'text' }, 1: { text: 'running', color: 'purple' } } }],
      }),
      stat('Runs passed (24 h)', [q(`sum(increase(phoenix_validation_runs_total{${JOB.validation},state="completed",passed="true"}[24h])) or vector(0)`)], { decimals: 0 }),
      stat('Runs not passed (24 h)', [q(`sum(increase(phoenix_validation_runs_total{${JOB.validation},passed!="true"}[24h])) or vector(0)`)], {
        decimals: 0,
        thresholds: [{ color: 'green', value: null }, { color: 'red', value: 1 }],
      }),
      stat('Benchmark API requests (1 h)', [q(`sum(increase(phoenix_validation_api_requests_total{${JOB.validation},route!="/metrics"}[1h])) or vector(0)`)], { decimals: 0 }),
      timeseries('Finished runs by state and verdict (per hour)', [q(`sum by (state, passed) (increase(phoenix_validation_runs_total{${JOB.validation}}[1h])) or vector(0)`, '{{state}} passed={{passed}}')], { w: 24, h: 6 }),
      row('The loop while runs are in flight'),
      timeseries('Active series against the budget', [q('phoenix:active_series', 'active output'), q('phoenix:target_series', 'budget'), q(`sum(phoenix:pipeline_series{pipeline="full_fidelity"})`, 'full fidelity'), q(`${inFlight} * phoenix:target_series`, 'run in flight')], {
        overrides: [runWindow],
      }),
      timeseries('Mode transitions (5 min)', [q(`sum(increase(phoenix_actuator_transitions_total{${JOB.control}}[5m])) or vector(0)`, 'transitions'), q(inFlight, 'run in flight')], { overrides: [runWindow] }),
      timeseries('Cost reduction of the active output', [q('phoenix:cost_reduction_ratio * on (pipeline) phoenix:active_pipeline_info', '{{pipeline}}')], { unit: 'percentunit', min: 0, max: 1 }),
      timeseries('Fidelity of the active output', [
        q('phoenix:totals_preservation * on (pipeline) phoenix:active_pipeline_info', 'totals preservation ({{pipeline}})'),
        q('phoenix:heavy_hitter_recall * on (pipeline) phoenix:active_pipeline_info', 'heavy-hitter recall ({{pipeline}})'),
      ], { unit: 'percentunit' }),
      timeseries('Load driven by the run (generators)', [
        q(`phoenix_generator_export_series{${JOB.generators}}`, 'series per export'),
        q(`phoenix_generator_hosts{${JOB.generators}}`, 'hosts'),
      ]),
      timeseries('Resources of phoenix-core during runs', [
        q(`process_resident_memory_bytes{${JOB.core}}`, 'resident memory'),
        q(`phoenix:receiver_request_duration_seconds:p99_5m`, 'request latency p99 ({{protocol}})'),
      ], {
        overrides: [{ matcher: { id: 'byRegexp', options: '^request latency.*' }, properties: [{ id: 'unit', value: 's' }, { id: 'custom.axisPlacement', value: 'right' }] }],
        unit: 'bytes',
      }),
    ],
  });
};
