import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import type { PipelineName } from '../processor/pipeline';
import type { PipelineErrorCount } from '../store/storeListeners';
import type { Kpis } from './kpiCalculator';

/** What the store gauges show (SeriesStore.stats, or the sum over the shards of a sharded core). */
export interface StoreStats {
  series: number;
  families: number;
  created: number;
  expired: number;
}

/** Store and pipeline gauges of the observatory, refreshed once per scrape. */
export class CoreTelemetry {
  readonly storeSeries: Gauge;
  readonly storeFamilies: Gauge;
  readonly seriesCreated: Counter;
  readonly seriesExpired: Counter;
  readonly pipelineSeries: Gauge<'pipeline'>;
  readonly renderSeconds: Histogram<'exporter'>;
  readonly costReduction: Gauge<'pipeline'>;
  readonly totalsPreservation: Gauge<'pipeline'>;
  readonly attributionCoverage: Gauge<'pipeline'>;
  readonly heavyHitterRecall: Gauge<'pipeline'>;
  readonly optimizedByProfile: Gauge<'profile'>;
  readonly topkStreams: Gauge;
  readonly activePipeline: Gauge<'pipeline'>;
  readonly pipelineErrors: Counter<'pipeline' | 'stage'>;
  private lastCreated = 0;
  private lastExpired = 0;
  private readonly lastPipelineErrors = new Map<string, number>();

  constructor(
    registry: Registry,
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
      help: 'CPU time spent rendering one scrape of a Prometheus endpoint (the render steps, not the waits for the socket while it is streamed), by exporter.',
      labelNames: ['exporter'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    const perPipeline = (name: string, help: string) => new Gauge({ name, help, labelNames: ['pipeline'], registers: [registry] });
    this.costReduction = perPipeline('phoenix_pipeline_cost_reduction_ratio', '1 - series / full_fidelity series, per pipeline.');
    this.totalsPreservation = perPipeline(
      'phoenix_pipeline_totals_preservation_ratio',
      'Output total / input total per host and metric family (sums, histogram counts, summed gauges): the value furthest from 1.',
    );
    this.attributionCoverage = perPipeline('phoenix_pipeline_attribution_coverage_ratio', 'Share of the ranking signal (CPU rate) attributed to individually visible processes.');
    this.heavyHitterRecall = perPipeline('phoenix_pipeline_heavy_hitter_recall_ratio', 'Share of the true top-10 processes per host (by the ranking signal) that stay individually visible.');
    this.activePipeline = perPipeline('phoenix_active_pipeline_info', '1 for the pipeline feeding the active output (:8892).');
    this.optimizedByProfile = new Gauge({
      name: 'phoenix_optimized_series_by_profile',
      help: 'Series the optimized pipeline would expose under each profile, on the same input.',
      labelNames: ['profile'],
      registers: [registry],
    });
    this.pipelineErrors = new Counter({
      name: 'phoenix_pipeline_errors_total',
      help: 'Failures of a pipeline on a store update (its points are refused as pipeline_error) or expiry, by pipeline and stage.',
      labelNames: ['pipeline', 'stage'],
      registers: [registry],
    });
    this.topkStreams = new Gauge({
      name: 'phoenix_topk_streams',
      help: '(host, metric stream) groups of experimental_topk; its series are about streams x (k + 2) while k < processes per host.',
      registers: [registry],
    });
  }

  /** Sets every pipeline KPI gauge. */
  setKpis(k: Kpis, active: PipelineName): void {
    for (const [p, v] of Object.entries(k.pipelines) as Array<[PipelineName, Kpis['pipelines'][PipelineName]]>) {
      this.pipelineSeries.set({ pipeline: p }, v.series);
      this.costReduction.set({ pipeline: p }, v.costReduction);
      this.totalsPreservation.set({ pipeline: p }, v.totalsPreservation);
      this.attributionCoverage.set({ pipeline: p }, v.attributionCoverage);
      this.heavyHitterRecall.set({ pipeline: p }, v.heavyHitterRecall);
      this.activePipeline.set({ pipeline: p }, p === active ? 1 : 0);
    }
    for (const [profile, n] of Object.entries(k.optimizedSeriesByProfile)) this.optimizedByProfile.set({ profile }, n);
    this.topkStreams.set(k.topkStreams);
  }

  /** Refreshes the store gauges from the store's stats (called before each observatory scrape). */
  refreshStore(s: StoreStats): void {
    this.storeSeries.set(s.series);
    this.storeFamilies.set(s.families);
    if (s.created > this.lastCreated) this.seriesCreated.inc(s.created - this.lastCreated);
    if (s.expired > this.lastExpired) this.seriesExpired.inc(s.expired - this.lastExpired);
    this.lastCreated = s.created;
    this.lastExpired = s.expired;
  }

  /** Advances phoenix_pipeline_errors_total to the store's cumulative counts (every place shown, zero included). */
  refreshPipelineErrors(counts: readonly PipelineErrorCount[]): void {
    for (const c of counts) {
      const key = `${c.pipeline}\u0000${c.stage}`;
      const last = this.lastPipelineErrors.get(key) ?? 0;
      this.pipelineErrors.inc({ pipeline: c.pipeline, stage: c.stage }, Math.max(0, c.errors - last));
      this.lastPipelineErrors.set(key, Math.max(last, c.errors));
    }
  }

  setPipelineSeries(p: PipelineName, n: number): void {
    this.pipelineSeries.set({ pipeline: p }, n);
  }
}
