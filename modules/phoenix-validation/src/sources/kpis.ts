import type { BenchmarkModeName, BenchmarkPipelineName, BenchmarkPipelineValues, BenchmarkSample } from '@phoenix/contracts';
import type { Sample } from '@phoenix/runtime';

/** What one reading of the KPIs gives (a sample without its time and load fields). */
export type KpiReading = Omit<BenchmarkSample, 'at' | 'offset_seconds' | 'phase' | 'load_hosts' | 'load_processes_per_host'>;

/** Observatory metric names (contracts/metrics/observatory.md) and the core's process metrics that a reading uses. */
export const KPI_METRICS = [
  'phoenix_pipeline_series',
  'phoenix_pipeline_totals_preservation_ratio',
  'phoenix_pipeline_attribution_coverage_ratio',
  'phoenix_active_pipeline_info',
  'phoenix_control_mode_info',
  'phoenix_control_topk_k',
  'phoenix_control_target_series',
  'phoenix_control_generation',
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
] as const;

/** The observer's ingest rate (phoenix-control's :9888). */
export const OBSERVER_INGEST_METRIC = 'phoenix_observer_ingest_data_points_per_second';

const PIPELINES: readonly BenchmarkPipelineName[] = ['full_fidelity', 'optimized', 'experimental_topk'];
const MODES: readonly BenchmarkModeName[] = ['conservative', 'balanced', 'aggressive'];

function isPipeline(v: string | undefined): v is BenchmarkPipelineName {
  return v !== undefined && (PIPELINES as readonly string[]).includes(v);
}

function isMode(v: string | undefined): v is BenchmarkModeName {
  return v !== undefined && (MODES as readonly string[]).includes(v);
}

function perPipeline(samples: readonly Sample[], name: string): BenchmarkPipelineValues | undefined {
  const out: BenchmarkPipelineValues = {};
  let any = false;
  for (const s of samples) {
    if (s.name !== name || !isPipeline(s.labels.pipeline) || !Number.isFinite(s.value)) continue;
    out[s.labels.pipeline] = s.value;
    any = true;
  }
  return any ? out : undefined;
}

function single(samples: readonly Sample[], name: string): number | undefined {
  const found = samples.filter((s) => s.name === name && Number.isFinite(s.value));
  return found.length === 1 ? found[0].value : undefined;
}

function nonNegativeInt(v: number | undefined): number | undefined {
  return v === undefined || v < 0 ? undefined : Math.round(v);
}

/**
 * Turns observatory samples (a scrape of the core's :8891, or the same names from Prometheus) into a KPI reading.
 * Absent metrics leave their fields out; the active series are those of the pipeline marked active.
 */
export function readingFromSamples(samples: readonly Sample[], ingest?: number): KpiReading {
  const reading: KpiReading = { series: perPipeline(samples, 'phoenix_pipeline_series') ?? {} };
  const totals = perPipeline(samples, 'phoenix_pipeline_totals_preservation_ratio');
  if (totals) reading.totals_preservation = totals;
  const attribution = perPipeline(samples, 'phoenix_pipeline_attribution_coverage_ratio');
  if (attribution) reading.attribution_coverage = attribution;
  const active = samples.find((s) => s.name === 'phoenix_active_pipeline_info' && s.value === 1 && isPipeline(s.labels.pipeline));
  if (active && isPipeline(active.labels.pipeline)) {
    reading.active_pipeline = active.labels.pipeline;
    const v = reading.series[active.labels.pipeline];
    if (v !== undefined) reading.active_series = v;
  }
  const mode = samples.find((s) => s.name === 'phoenix_control_mode_info' && s.value === 1 && isMode(s.labels.mode));
  if (mode && isMode(mode.labels.mode)) {
    reading.mode = mode.labels.mode;
    if (isMode(mode.labels.profile)) reading.profile = mode.labels.profile;
  }
  const k = nonNegativeInt(single(samples, 'phoenix_control_topk_k'));
  if (k !== undefined) reading.k = k;
  const target = nonNegativeInt(single(samples, 'phoenix_control_target_series'));
  if (target !== undefined) reading.target_series = target;
  const generation = nonNegativeInt(single(samples, 'phoenix_control_generation'));
  if (generation !== undefined) reading.generation = generation;
  const cpu = single(samples, 'process_cpu_seconds_total');
  if (cpu !== undefined && cpu >= 0) reading.core_cpu_seconds = cpu;
  const rss = single(samples, 'process_resident_memory_bytes');
  if (rss !== undefined && rss >= 0) reading.core_resident_bytes = rss;
  if (ingest !== undefined && Number.isFinite(ingest) && ingest >= 0) reading.ingest_points_per_second = ingest;
  return reading;
}

/** A source of KPI readings: a direct scrape of the core (and observer), or Prometheus. */
export interface KpiSource {
  readonly kind: 'direct' | 'prometheus';
  readonly url: string;
  /** One reading; rejects when the core's KPIs cannot be read at all. */
  read(signal?: AbortSignal): Promise<KpiReading>;
}
