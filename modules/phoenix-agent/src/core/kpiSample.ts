import { OBSERVATORY, buildKpis, type KpiSample } from '@phoenix/contracts';
import type { Sample } from '@phoenix/runtime';

/**
 * The observatory metrics (contracts/metrics/observatory.md) a KPI sample is made of: phoenix-control's, which
 * reads the same scrape into its KPIs, and the core's process usage.
 */
export const OBSERVATORY_METRICS = { ...OBSERVATORY, cpuSeconds: 'process_cpu_seconds_total', rssBytes: 'process_resident_memory_bytes' } as const;

const WANTED = new Set<string>(Object.values(OBSERVATORY_METRICS));
export const isObservatoryMetric = (name: string): boolean => WANTED.has(name);

const usable = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v >= 0;
const positiveInt = (v: number | undefined): number | undefined => (v !== undefined && Number.isInteger(v) && v >= 1 ? v : undefined);
/** the usable values of a per-pipeline (or per-profile) map, or undefined when none is */
function usableValues<K extends string>(m: Partial<Record<K, number>> | undefined, round = false): Partial<Record<K, number>> | undefined {
  if (!m) return undefined;
  const out: Partial<Record<K, number>> = {};
  for (const [k, v] of Object.entries(m) as Array<[K, number | undefined]>) if (usable(v)) out[k] = round ? Math.round(v) : v;
  return Object.keys(out).length > 0 ? out : undefined;
}
function single(samples: Sample[], name: string): number | undefined {
  return samples.find((x) => x.name === name && usable(x.value))?.value;
}

/** What a scrape says besides the KPIs: the core's control generation and its process usage. */
export interface CoreReading {
  sample: Omit<KpiSample, 'seq'>;
  generation: number | undefined;
  process: { rss_bytes: number; cpu_seconds_total: number } | undefined;
  /** accepted points counter and when, for the next reading's ingest rate */
  ingest: { points: number; atMs: number } | undefined;
}

/**
 * Turns the samples of one observatory scrape into a KPI sample (agent_metrics_batch.schema.json), without its
 * seq. `previous` is the ingest reading of the scrape before (for the points rate; a counter that went down
 * means the core restarted and is counted from zero).
 */
export function readCore(samples: Sample[], nowMs: number, previous: CoreReading['ingest']): CoreReading {
  const sample: Omit<KpiSample, 'seq'> = { observed_at: new Date(nowMs).toISOString(), series: {}, core_up: true };
  const built = buildKpis(samples, nowMs, 'core', previous && { acceptedPoints: previous.points, atMs: previous.atMs });
  let ingest: CoreReading['ingest'];
  if (built.ok) {
    const k = built.kpis;
    sample.series = usableValues(k.series) ?? {};
    if (usable(k.active_series)) sample.active_series = Math.round(k.active_series);
    const byProfile = usableValues(k.optimized_series_by_profile, true);
    if (byProfile) sample.optimized_series_by_profile = byProfile;
    if (usable(k.topk_streams)) sample.topk_streams = Math.round(k.topk_streams);
    if (k.in_force?.mode) sample.mode = k.in_force.mode;
    if (k.in_force?.profile) sample.profile = k.in_force.profile;
    const topk = positiveInt(k.in_force?.k);
    if (topk !== undefined) sample.topk_k = topk;
    const target = positiveInt(k.in_force?.target_series);
    if (target !== undefined) sample.target_series = target;
    const recall = usableValues(k.heavy_hitter_recall);
    if (recall) sample.heavy_hitter_recall = recall;
    const totals = usableValues(k.totals_preservation);
    if (totals) sample.totals_preservation = totals;
    const attribution = usableValues(k.attribution_coverage);
    if (attribution) sample.attribution_coverage = attribution;
    if (k.ingest_points_per_second !== undefined) sample.ingest_points_per_second = k.ingest_points_per_second;
    if (built.ingest) ingest = { points: built.ingest.acceptedPoints, atMs: built.ingest.atMs };
  }
  const gen = single(samples, OBSERVATORY.controlGeneration);
  const rss = single(samples, OBSERVATORY_METRICS.rssBytes);
  const cpu = single(samples, OBSERVATORY_METRICS.cpuSeconds);
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
