import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import type { PipelineName } from '../processor/pipeline';
import type { SeriesStore } from '../store/seriesStore';

/** Store and pipeline gauges of the observatory, refreshed once per scrape. */
export class CoreTelemetry {
  readonly storeSeries: Gauge;
  readonly storeFamilies: Gauge;
  readonly seriesCreated: Counter;
  readonly seriesExpired: Counter;
  readonly pipelineSeries: Gauge<'pipeline'>;
  readonly renderSeconds: Histogram<'exporter'>;
  private lastCreated = 0;
  private lastExpired = 0;

  constructor(
    registry: Registry,
    private readonly store: SeriesStore,
    opts: { processMetrics?: boolean } = {},
  ) {
    if (opts.processMetrics ?? true) {
      collectDefaultMetrics({ register: registry });
      // prom-client names these gauges with `_total`, which `promtool check metrics` flags; drop them
      for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
        registry.removeSingleMetric(name);
      }
    }
    this.storeSeries = new Gauge({ name: 'phoenix_store_series', help: 'Input series held by the store (full-fidelity identity).', registers: [registry] });
    this.storeFamilies = new Gauge({ name: 'phoenix_store_families', help: 'Metric families held by the store.', registers: [registry] });
    this.seriesCreated = new Counter({ name: 'phoenix_store_series_created_total', help: 'Input series ever created.', registers: [registry] });
    this.seriesExpired = new Counter({ name: 'phoenix_store_series_expired_total', help: 'Input series removed by the staleness sweep.', registers: [registry] });
    this.pipelineSeries = new Gauge({
      name: 'phoenix_pipeline_series',
      help: 'Series (sample lines) exposed by each pipeline endpoint.',
      labelNames: ['pipeline'],
      registers: [registry],
    });
    this.renderSeconds = new Histogram({
      name: 'phoenix_exporter_render_seconds',
      help: 'Time to render one scrape of a Prometheus endpoint, by exporter.',
      labelNames: ['exporter'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
  }

  /** Refreshes the store gauges (called before each observatory scrape). */
  refreshStore(): void {
    const s = this.store.stats;
    this.storeSeries.set(s.series);
    this.storeFamilies.set(s.families);
    if (s.created > this.lastCreated) this.seriesCreated.inc(s.created - this.lastCreated);
    if (s.expired > this.lastExpired) this.seriesExpired.inc(s.expired - this.lastExpired);
    this.lastCreated = s.created;
    this.lastExpired = s.expired;
  }

  setPipelineSeries(p: PipelineName, n: number): void {
    this.pipelineSeries.set({ pipeline: p }, n);
  }
}
