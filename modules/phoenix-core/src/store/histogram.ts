import type { ExpHistogramPoint, HistogramPoint } from '../otlp/model';

/** Largest bucket layout accepted from an exponential histogram after conversion. */
export const MAX_CONVERTED_BUCKETS = 2048;

export function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Moves per-bucket counts from one explicit layout to another. Each source bucket goes to the
 * first target bucket whose upper bound is ≥ the source bucket's upper bound, so a count is never
 * reported under a smaller `le` than it was observed under (conservative for latency SLOs). When
 * the target bounds are a subset of the source bounds (e.g. an exponential histogram downscaled)
 * the move is exact. Counts are preserved in total.
 */
export function rebucket(counts: readonly number[], from: readonly number[], to: readonly number[]): number[] {
  const out = new Array<number>(to.length + 1).fill(0);
  let t = 0;
  for (let i = 0; i < counts.length; i++) {
    const upper = i < from.length ? from[i] : Infinity;
    while (t < to.length && to[t] < upper) t++;
    out[t] += counts[i];
  }
  return out;
}

/**
 * Converts an exponential histogram point to an explicit-bounds one: negative buckets (most
 * negative first) with upper bound −base^index, the zero bucket with upper bound zero_threshold,
 * positive buckets with upper bound base^(index+1), and an empty +Inf bucket. Returns undefined
 * when the layout is wider than MAX_CONVERTED_BUCKETS or the scale is out of the spec's range.
 */
export function expToExplicit(p: ExpHistogramPoint): HistogramPoint | undefined {
  if (p.scale < -10 || p.scale > 20) return undefined;
  const nNeg = p.negative.counts.length;
  const nPos = p.positive.counts.length;
  if (nNeg + nPos + 2 > MAX_CONVERTED_BUCKETS) return undefined;
  const exp = Math.pow(2, -p.scale);
  const bounds: number[] = [];
  const counts: number[] = [];
  for (let j = nNeg - 1; j >= 0; j--) {
    bounds.push(-Math.pow(2, (p.negative.offset + j) * exp));
    counts.push(p.negative.counts[j]);
  }
  bounds.push(p.zeroThreshold);
  counts.push(p.zeroCount);
  for (let j = 0; j < nPos; j++) {
    bounds.push(Math.pow(2, (p.positive.offset + j + 1) * exp));
    counts.push(p.positive.counts[j]);
  }
  counts.push(0);
  // bounds must be strictly increasing (a zero threshold above the first positive bound is malformed)
  for (let i = 1; i < bounds.length; i++) if (!(bounds[i] > bounds[i - 1])) return undefined;
  return {
    attrs: p.attrs,
    startMs: p.startMs,
    timeMs: p.timeMs,
    count: p.count,
    hasSum: p.hasSum,
    sum: p.sum,
    bucketCounts: counts,
    bounds,
    flags: p.flags,
  };
}
