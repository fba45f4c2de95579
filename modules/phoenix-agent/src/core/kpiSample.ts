import type { KpiSample } from '@phoenix/contracts';
import type { Sample } from '@phoenix/runtime';

/** The observatory metrics (contracts/metrics/observatory.md) a KPI sample is made of. */
export const OBSERVATORY_METRICS = {
  pipelineSeries: 'phoenix_pipeline_series',
  totalsPreservation: 'phoenix_pipeline_totals_preservation_ratio',
  attributionCoverage: 'phoenix_pipeline_attribution_coverage_ratio',
  heavyHitterRecall: 'phoenix_pipeline_heavy_hitter_recall_ratio',
  optimizedByProfile: 'phoenix_optimized_series_by_profile',
  topkStreams: 'phoenix_topk_streams',
  activePipelineInfo: 'phoenix_active_pipeline_info',
  dataPoints: 'phoenix_receiver_data_points_total',
  controlGeneration: 'phoenix_control_generation',
  controlModeInfo: 'phoenix_control_mode_info',
  controlTopkK: 'phoenix_control_topk_k',
  controlTargetSeries: 'phoenix_control_target_series',
  cpuSeconds: 'process_cpu_seconds_total',
  rssBytes: 'process_resident_memory_bytes',
} as const;

const WANTED = new Set<string>(Object.values(OBSERVATORY_METRICS));
export const isObservatoryMetric = (name: string): boolean => WANTED.has(name);

const PIPELINES = ['full_fidelity', 'optimized', 'experimental_topk'] as const;
const MODES = ['conservative', 'balanced', 'aggressive'] as const;
type Pipeline = (typeof PIPELINES)[number];
type Mode = (typeof MODES)[number];
type PerPipeline = Partial<Record<Pipeline, number>>;

const isPipeline = (v: string | undefined): v is Pipeline => (PIPELINES as readonly string[]).includes(v ?? '');
const isMode = (v: string | undefined): v is Mode => (MODES as readonly string[]).includes(v ?? '');
const usable = (v: number): boolean => Number.isFinite(v) && v >= 0;

/** What a scrape says besides the KPIs: the core's control generation and its process usage. */
export interface CoreReading {
  sample: Omit<KpiSample, 'seq'>;
  generation: number | undefined;
  process: { rss_bytes: number; cpu_seconds_total: number } | undefined;
  /** accepted points counter and when, for the next reading's ingest rate */
  ingest: { points: number; atMs: number } | undefined;
}

function perPipeline(samples: Sample[], name: string): PerPipeline | undefined {
  const out: PerPipeline = {};
  let any = false;
  for (const s of samples) {
    if (s.name !== name || !isPipeline(s.labels.pipeline) || !usable(s.value)) continue;
    out[s.labels.pipeline] = s.value;
    any = true;
  }
  return any ? out : undefined;
}

function single(samples: Sample[], name: string): number | undefined {
  const s = samples.find((x) => x.name === name && usable(x.value));
  return s?.value;
}

function positiveInt(v: number | undefined): number | undefined {
  return v !== undefined && Number.isInteger(v) && v >= 1 ? v : undefined;
}

/**
 * Turns the samples of one observatory scrape into a KPI sample (agent_metrics_batch.schema.json), without its
 * seq. `previous` is the ingest reading of the scrape before (for the points rate; a counter that went down
 * means the core restarted and is counted from zero).
 */
export function readCore(samples: Sample[], nowMs: number, previous: CoreReading['ingest']): CoreReading {
  const M = OBSERVATORY_METRICS;
  const sample: Omit<KpiSample, 'seq'> = { observed_at: new Date(nowMs).toISOString(), series: perPipeline(samples, M.pipelineSeries) ?? {}, core_up: true };
  const active = samples.find((s) => s.name === M.activePipelineInfo && s.value === 1 && isPipeline(s.labels.pipeline));
  const activeSeries = active && isPipeline(active.labels.pipeline) ? sample.series[active.labels.pipeline] : undefined;
  if (activeSeries !== undefined) sample.active_series = Math.round(activeSeries);

  const byProfile: NonNullable<KpiSample['optimized_series_by_profile']> = {};
  for (const s of samples) if (s.name === M.optimizedByProfile && isMode(s.labels.profile) && usable(s.value)) byProfile[s.labels.profile] = Math.round(s.value);
  if (Object.keys(byProfile).length > 0) sample.optimized_series_by_profile = byProfile;
  const streams = single(samples, M.topkStreams);
  if (streams !== undefined) sample.topk_streams = Math.round(streams);

  const modeInfo = samples.find((s) => s.name === M.controlModeInfo && s.value === 1);
  if (modeInfo && isMode(modeInfo.labels.mode)) sample.mode = modeInfo.labels.mode;
  if (modeInfo && isMode(modeInfo.labels.profile)) sample.profile = modeInfo.labels.profile;
  const k = positiveInt(single(samples, M.controlTopkK));
  if (k !== undefined) sample.topk_k = k;
  const target = positiveInt(single(samples, M.controlTargetSeries));
  if (target !== undefined) sample.target_series = target;

  const recall = perPipeline(samples, M.heavyHitterRecall);
  if (recall) sample.heavy_hitter_recall = recall;
  const totals = perPipeline(samples, M.totalsPreservation);
  if (totals) sample.totals_preservation = totals;
  const attribution = perPipeline(samples, M.attributionCoverage);
  if (attribution) sample.attribution_coverage = attribution;

  let ingest: CoreReading['ingest'];
  const accepted = samples.filter((s) => s.name === M.dataPoints && s.labels.outcome === 'accepted' && usable(s.value));
  if (accepted.length > 0) {
    const points = accepted.reduce((a, s) => a + s.value, 0);
    ingest = { points, atMs: nowMs };
    if (previous && nowMs > previous.atMs) {
      const delta = points >= previous.points ? points - previous.points : points;
      sample.ingest_points_per_second = delta / ((nowMs - previous.atMs) / 1000);
    }
  }
  const gen = single(samples, M.controlGeneration);
  const rss = single(samples, M.rssBytes);
  const cpu = single(samples, M.cpuSeconds);
  return {
    sample,
    generation: gen !== undefined && Number.isInteger(gen) ? gen : undefined,
    process: rss !== undefined && cpu !== undefined ? { rss_bytes: Math.round(rss), cpu_seconds_total: cpu } : undefined,
    ingest,
  };
}

/** The sample of a scrape that failed: the core is down (or not answering). */
export function coreDownSample(nowMs: number): Omit<KpiSample, 'seq'> {
  return { observed_at: new Date(nowMs).toISOString(), series: {}, core_up: false };
}
