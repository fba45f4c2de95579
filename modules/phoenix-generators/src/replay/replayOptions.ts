/** Transport of the replay loader. */
export type ReplayProtocol = 'http' | 'grpc';

/** What to replay and how fast. */
export interface ReplayOptions {
  /** Distinct series (one point each per round). */
  series: number;
  /** Target data points per second. */
  rate: number;
  /** Seconds to send for. */
  durationSeconds: number;
  protocol: ReplayProtocol;
  /** HTTP: full URL (…/v1/metrics; a bare origin gets /v1/metrics); gRPC: http://host:port. */
  endpoint: string;
  /** Points per request (default 1000). */
  batchSize?: number;
  /** Requests in flight at most (default 8). */
  concurrency?: number;
  /** Series per simulated host (default 1000). */
  seriesPerHost?: number;
  /** Per-request timeout (default 10000 ms). */
  timeoutMs?: number;
  /** Extra HTTP headers / gRPC metadata (e.g. authorization). */
  headers?: Record<string, string>;
}

/** Problems with replay options, each naming the option (CLI flag). */
export function validateReplayOptions(o: ReplayOptions): string[] {
  const errors: string[] = [];
  const int = (key: string, v: number | undefined, min: number, max: number): void => {
    if (v !== undefined && (!Number.isInteger(v) || v < min || v > max)) errors.push(`${key}: must be an integer in ${min}..${max} (got ${String(v)})`);
  };
  int('series', o.series, 1, 100_000_000);
  int('batch_size', o.batchSize, 1, 1_000_000);
  int('concurrency', o.concurrency, 1, 4096);
  int('series_per_host', o.seriesPerHost, 2, 10_000_000);
  int('timeout_ms', o.timeoutMs, 1, 600_000);
  if (!(typeof o.rate === 'number' && o.rate > 0 && Number.isFinite(o.rate))) errors.push(`rate: must be a number > 0 (got ${String(o.rate)})`);
  if (!(typeof o.durationSeconds === 'number' && o.durationSeconds > 0 && Number.isFinite(o.durationSeconds))) {
    errors.push(`duration: must be a number of seconds > 0 (got ${String(o.durationSeconds)})`);
  }
  if (o.protocol !== 'http' && o.protocol !== 'grpc') errors.push(`protocol: must be http or grpc (got ${JSON.stringify(o.protocol)})`);
  try {
    const u = new URL(o.endpoint);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') errors.push(`endpoint: must be an http:// or https:// URL (got ${JSON.stringify(o.endpoint)})`);
  } catch {
    errors.push(`endpoint: not a URL (got ${JSON.stringify(o.endpoint)})`);
  }
  return errors;
}
