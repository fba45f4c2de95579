import type {
  BenchmarkCostReduction,
  BenchmarkCostReductionByPipeline,
  BenchmarkPipelineName,
  BenchmarkSample,
  BenchmarkSeriesByPipeline,
  BenchmarkSeriesStats,
} from '@phoenix/contracts';
import { finite, last, max, mean, percentile } from './stats';

export const PIPELINES: readonly BenchmarkPipelineName[] = ['full_fidelity', 'optimized', 'experimental_topk'];

type Pick = (s: BenchmarkSample) => number | undefined;

const pickers: Record<BenchmarkPipelineName | 'active', Pick> = {
  full_fidelity: (s) => s.series.full_fidelity,
  optimized: (s) => s.series.optimized,
  experimental_topk: (s) => s.series.experimental_topk,
  active: (s) => s.active_series,
};

/** Mean, max, p95 (nearest rank) and last value of the samples where the series was read. */
export function seriesStats(values: readonly (number | undefined)[]): BenchmarkSeriesStats {
  const v = finite(values);
  return { samples: v.length, mean: mean(v), max: max(v), p95: percentile(v, 0.95), last: last(v) ?? null };
}

/**
 * Series per pipeline and on the active output over the run. A pipeline absent from some samples (not reported,
 * or a scrape that failed) is summarised over the samples where it was present.
 */
export function analyzeSeries(samples: readonly BenchmarkSample[]): BenchmarkSeriesByPipeline {
  return {
    full_fidelity: seriesStats(samples.map(pickers.full_fidelity)),
    optimized: seriesStats(samples.map(pickers.optimized)),
    experimental_topk: seriesStats(samples.map(pickers.experimental_topk)),
    active: seriesStats(samples.map(pickers.active)),
  };
}

/** The means of a pipeline and of full_fidelity over the samples where both were read (and full > 0). */
export function pairedMeans(samples: readonly BenchmarkSample[], which: BenchmarkPipelineName | 'active'): { full: number; other: number; lastFull: number; lastOther: number } | null {
  const pick = pickers[which];
  let n = 0;
  let sumFull = 0;
  let sumOther = 0;
  let lastFull = 0;
  let lastOther = 0;
  for (const s of samples) {
    const f = s.series.full_fidelity;
    const o = pick(s);
    if (typeof f !== 'number' || typeof o !== 'number' || !Number.isFinite(f) || !Number.isFinite(o) || f <= 0) continue;
    n += 1;
    sumFull += f;
    sumOther += o;
    lastFull = f;
    lastOther = o;
  }
  if (n === 0) return null;
  return { full: sumFull / n, other: sumOther / n, lastFull, lastOther };
}

function reduction(samples: readonly BenchmarkSample[], which: BenchmarkPipelineName | 'active'): BenchmarkCostReduction {
  const p = pairedMeans(samples, which);
  if (!p) return { mean: null, final: null };
  return { mean: 1 - p.other / p.full, final: 1 - p.lastOther / p.lastFull };
}

/**
 * Cost reduction 1 - series / full_fidelity series per pipeline and for the active output: over the run as the
 * ratio of the means (so a large moment weighs more than a small one), and at the last sample with both.
 */
export function analyzeCostReduction(samples: readonly BenchmarkSample[]): BenchmarkCostReductionByPipeline {
  return {
    optimized: reduction(samples, 'optimized'),
    experimental_topk: reduction(samples, 'experimental_topk'),
    active: reduction(samples, 'active'),
  };
}
