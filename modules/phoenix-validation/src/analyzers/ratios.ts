import type { BenchmarkPipelineValues, BenchmarkRatioByPipeline, BenchmarkRatioStats, BenchmarkSample } from '@phoenix/contracts';
import { finite, last, mean } from './stats';

type RatioField = 'totals_preservation' | 'attribution_coverage';

/** Worst (furthest from 1), mean and last of a ratio where 1 is perfect. */
export function ratioStats(values: readonly (number | undefined)[]): BenchmarkRatioStats {
  const v = finite(values);
  let worst: number | null = null;
  for (const x of v) if (worst === null || Math.abs(1 - x) > Math.abs(1 - worst)) worst = x;
  return { samples: v.length, worst, mean: mean(v), final: last(v) ?? null };
}

/** The value the pipeline active at that sample reports. */
function activeValue(s: BenchmarkSample, values: BenchmarkPipelineValues | undefined): number | undefined {
  if (!values || !s.active_pipeline) return undefined;
  return values[s.active_pipeline];
}

/**
 * A ratio the core reports per pipeline (totals preservation: output total / input total per host and family, the
 * value furthest from 1; attribution coverage: share of the CPU attributed to visible processes), summarised
 * per pipeline and for the active output (the active pipeline's value at each sample).
 */
export function analyzeRatio(samples: readonly BenchmarkSample[], field: RatioField): BenchmarkRatioByPipeline {
  return {
    full_fidelity: ratioStats(samples.map((s) => s[field]?.full_fidelity)),
    optimized: ratioStats(samples.map((s) => s[field]?.optimized)),
    experimental_topk: ratioStats(samples.map((s) => s[field]?.experimental_topk)),
    active: ratioStats(samples.map((s) => activeValue(s, s[field]))),
  };
}

/** 1 - |1 - ratio|: 1 when exact, lower the further off (the SLO's view of totals preservation). */
export function preservationScore(ratio: number | null): number | null {
  return ratio === null ? null : 1 - Math.abs(1 - ratio);
}
