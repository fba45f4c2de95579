'use strict';
/** Small statistics helpers of the benchmarks. */

/**
 * Median (upper median for an even count), min, max and count of `values`.
 * @param {number[]} values
 * @returns {{ median: number, min: number, max: number, runs: number, values: number[] }}
 */
function stats(values) {
  const s = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return { median: NaN, min: NaN, max: NaN, runs: 0, values: [] };
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1], runs: s.length, values: [...values] };
}

/**
 * Nearest-rank percentile (p in 0..100) of an ascending array.
 * @param {number[]} sorted
 * @param {number} p
 * @returns {number}
 */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** @typedef {{ p50: number, p90: number, p99: number, max: number, count: number }} Distribution */

/**
 * p50, p90, p99, max and count of unsorted samples.
 * @param {number[]} samples
 * @returns {Distribution}
 */
function distribution(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s[s.length - 1], count: s.length };
}

/** @type {(t0: bigint) => number} milliseconds since `t0` (process.hrtime.bigint()) */
const elapsedMs = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

module.exports = { stats, percentile, distribution, elapsedMs };
