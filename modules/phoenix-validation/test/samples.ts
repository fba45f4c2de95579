import type { BenchmarkSample } from '@phoenix/contracts';

/** A sample at scenario second `t` (at = 2026-01-01T00:00:00Z + t seconds), with the given fields. */
export function sample(t: number, fields: Partial<BenchmarkSample> = {}): BenchmarkSample {
  return { at: new Date(Date.UTC(2026, 0, 1) + t * 1000).toISOString(), offset_seconds: t, series: {}, ...fields };
}
