/** Small statistics helpers shared by the analyzers: pure, no I/O, empty input gives null (never 0 or NaN). */

/** Finite numbers only. */
export function finite(values: readonly (number | undefined | null)[]): number[] {
  return values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

export function max(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}

export function min(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let m = Infinity;
  for (const v of values) if (v < m) m = v;
  return m;
}

/** Nearest-rank percentile (p in 0..1): the smallest value with at least p of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

export function last<T>(values: readonly T[]): T | undefined {
  return values.length === 0 ? undefined : values[values.length - 1];
}

/** Rounds for reports (keeps results readable and stable); null stays null. */
export function round(v: number | null, digits = 6): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
