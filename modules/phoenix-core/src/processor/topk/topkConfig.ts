import { ConfigErrors } from '@phoenix/runtime';

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

/** Returns the problems of a config, each `key: problem` (see ConfigErrors); empty when valid. */
export function validateTopkConfig(c: TopkConfig): string[] {
  const e = new ConfigErrors();
  e.number('topk.k', c.k, { integer: true, min: 1 });
  e.nonEmpty('topk.rankingMetric', c.rankingMetric);
  e.number('topk.windowMs', c.windowMs, { min: 0, exclusiveMin: true });
  e.number('topk.rankIntervalMs', c.rankIntervalMs, { min: 0, exclusiveMin: true });
  e.number('topk.margin', c.margin, { min: 0, max: 10 });
  return e.messages;
}
