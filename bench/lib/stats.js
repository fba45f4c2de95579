'use strict';
/** Small statistics helpers of the benchmarks. */

/** Median (upper median for an even count), min, max and count of `values`. */
function stats(values) {
  const s = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return { median: NaN, min: NaN, max: NaN, runs: 0, values: [] };
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1], runs: s.length, values: [...values] };
}

/** Nearest-rank percentile (p in 0..100) of an ascending array. */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** p50, p90, p99, max and count of unsorted samples. */
function distribution(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s[s.length - 1], count: s.length };
}

const elapsedMs = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

module.exports = { stats, percentile, distribution, elapsedMs };
