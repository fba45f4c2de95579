/** Configuration of the experimental_topk pipeline. */
export interface TopkConfig {
  /** processes kept individually per host and metric */
  k: number;
  /** OpenTelemetry name of the cumulative metric whose rate ranks processes */
  rankingMetric: string;
  /** sliding window of the rate, milliseconds */
  windowMs: number;
  /** how often the ranking is recomputed, milliseconds */
  rankIntervalMs: number;
  /**
   * hysteresis: an incumbent's rate counts (1 + margin) times when ranking, so the member set does
   * not flap on ties or small changes
   */
  margin: number;
}

export const defaultTopkConfig: TopkConfig = {
  k: 20,
  rankingMetric: 'process.cpu.time',
  windowMs: 60_000,
  rankIntervalMs: 10_000,
  margin: 0.1,
};

export function validateTopkConfig(c: TopkConfig): string[] {
  const errs: string[] = [];
  if (!Number.isInteger(c.k) || c.k < 1) errs.push('topk.k: must be a positive integer');
  if (!c.rankingMetric) errs.push('topk.rankingMetric: must not be empty');
  if (!(c.windowMs > 0)) errs.push('topk.windowMs: must be positive');
  if (!(c.rankIntervalMs > 0)) errs.push('topk.rankIntervalMs: must be positive');
  if (!(c.margin >= 0 && c.margin <= 10)) errs.push('topk.margin: must be between 0 and 10');
  return errs;
}
