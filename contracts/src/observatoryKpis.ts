import type { ControlKpis, ControlPipelineValues } from './generated';

/** One sample of a Prometheus text exposition (the runtime's parser gives these). */
export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
type Sample = ExpositionSample;

/**
 * The observatory metric names (contracts/metrics/observatory.md) the KPIs are read from: by phoenix-control's
 * observer, and by phoenix-agent for its KPI samples.
 */
export const OBSERVATORY = {
  pipelineSeries: 'phoenix_pipeline_series',
  costReduction: 'phoenix_pipeline_cost_reduction_ratio',
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
} as const;

const WANTED = new Set<string>(Object.values(OBSERVATORY));
export const isObservatoryKpiMetric = (name: string): boolean => WANTED.has(name);

const PIPELINES = ['full_fidelity', 'optimized', 'experimental_topk'] as const;
const MODES = ['conservative', 'balanced', 'aggressive'] as const;
type Pipeline = (typeof PIPELINES)[number];
type ModeName = (typeof MODES)[number];

const isPipeline = (v: string | undefined): v is Pipeline => PIPELINES.includes(v as Pipeline);
const isMode = (v: string | undefined): v is ModeName => MODES.includes(v as ModeName);
const finite = (v: number): boolean => Number.isFinite(v);

/** State kept between readings (for rates). */
export interface IngestMemory {
  acceptedPoints: number;
  atMs: number;
}

export type KpiBuild =
  | { ok: true; kpis: ControlKpis; ingest: IngestMemory | undefined }
  | { ok: false; error: string };

function perPipeline(samples: Sample[], name: string, min?: number): ControlPipelineValues | undefined {
  const out: ControlPipelineValues = {};
  let any = false;
  for (const s of samples) {
    if (s.name !== name || !isPipeline(s.labels.pipeline) || !finite(s.value)) continue;
    if (min !== undefined && s.value < min) continue;
    out[s.labels.pipeline] = s.value;
    any = true;
  }
  return any ? out : undefined;
}

function single(samples: Sample[], name: string): number | undefined {
  const s = samples.find((x) => x.name === name && finite(x.value));
  return s?.value;
}

/**
 * Turns observatory samples into KPIs. Fails (KPIs absent) when the series per pipeline are missing: the
 * controller never acts on a partial picture of what each choice costs.
 */
export function buildKpis(
  samples: Sample[],
  nowMs: number,
  source: 'core' | 'prometheus',
  previous: IngestMemory | undefined,
): KpiBuild {
  const series = perPipeline(samples, OBSERVATORY.pipelineSeries, 0);
  if (!series || series.full_fidelity === undefined) {
    return { ok: false, error: `${OBSERVATORY.pipelineSeries}{pipeline="full_fidelity"} is missing` };
  }
  const kpis: ControlKpis = { observed_at: new Date(nowMs).toISOString(), age_seconds: 0, source, series };

  const reported = perPipeline(samples, OBSERVATORY.costReduction);
  const cost: ControlPipelineValues = { ...reported };
  const full = series.full_fidelity;
  for (const p of PIPELINES) {
    const v = series[p];
    if (cost[p] === undefined && v !== undefined && full > 0) cost[p] = 1 - v / full;
  }
  if (Object.keys(cost).length > 0) kpis.cost_reduction = cost;
  const totals = perPipeline(samples, OBSERVATORY.totalsPreservation);
  if (totals) kpis.totals_preservation = totals;
  const attribution = perPipeline(samples, OBSERVATORY.attributionCoverage);
  if (attribution) kpis.attribution_coverage = attribution;
  const recall = perPipeline(samples, OBSERVATORY.heavyHitterRecall);
  if (recall) kpis.heavy_hitter_recall = recall;

  const byProfile: NonNullable<ControlKpis['optimized_series_by_profile']> = {};
  for (const s of samples) {
    if (s.name === OBSERVATORY.optimizedByProfile && isMode(s.labels.profile) && finite(s.value) && s.value >= 0) {
      byProfile[s.labels.profile] = s.value;
    }
  }
  if (Object.keys(byProfile).length > 0) kpis.optimized_series_by_profile = byProfile;

  const streams = single(samples, OBSERVATORY.topkStreams);
  if (streams !== undefined && streams >= 0) kpis.topk_streams = streams;

  const active = samples.find((s) => s.name === OBSERVATORY.activePipelineInfo && s.value === 1 && isPipeline(s.labels.pipeline));
  if (active && isPipeline(active.labels.pipeline)) {
    kpis.active_pipeline = active.labels.pipeline;
    const v = series[active.labels.pipeline];
    if (v !== undefined) kpis.active_series = v;
  }

  let ingest: IngestMemory | undefined;
  const accepted = samples.filter((s) => s.name === OBSERVATORY.dataPoints && s.labels.outcome === 'accepted' && finite(s.value));
  if (accepted.length > 0) {
    const total = accepted.reduce((a, s) => a + s.value, 0);
    ingest = { acceptedPoints: total, atMs: nowMs };
    if (previous && nowMs > previous.atMs) {
      // A counter that went down was reset (core restart): count from zero.
      const delta = total >= previous.acceptedPoints ? total - previous.acceptedPoints : total;
      kpis.ingest_points_per_second = delta / ((nowMs - previous.atMs) / 1000);
    }
  }

  const inForce: NonNullable<ControlKpis['in_force']> = {};
  const gen = single(samples, OBSERVATORY.controlGeneration);
  if (gen !== undefined && Number.isInteger(gen) && gen >= 0) inForce.generation = gen;
  const modeInfo = samples.find((s) => s.name === OBSERVATORY.controlModeInfo && s.value === 1);
  if (modeInfo && isMode(modeInfo.labels.mode)) inForce.mode = modeInfo.labels.mode;
  if (modeInfo && isMode(modeInfo.labels.profile)) inForce.profile = modeInfo.labels.profile;
  const k = single(samples, OBSERVATORY.controlTopkK);
  if (k !== undefined && Number.isInteger(k) && k >= 0) inForce.k = k;
  const target = single(samples, OBSERVATORY.controlTargetSeries);
  if (target !== undefined && Number.isInteger(target) && target >= 0) inForce.target_series = target;
  if (Object.keys(inForce).length > 0) kpis.in_force = inForce;
  return { ok: true, kpis, ingest };
}
