import type { GeneratorsReplayReport } from '@phoenix/contracts';
import { encodeReplayRequests, stampRequest } from './encodeReplayRequests';
import { validateReplayOptions, type ReplayOptions } from './replayOptions';
import { createGrpcSender, createHttpSender, type ReplaySender } from './replaySenders';

/** Injectable parts of the replay loader (tests). */
export interface ReplayDeps {
  sender?: ReplaySender;
  /** Monotonic nanoseconds (default process.hrtime.bigint). */
  monotonicNs?: () => bigint;
  /** Epoch milliseconds (default Date.now), for the points' timestamps. */
  nowMs?: () => number;
}

/** The HTTP URL to post to: a bare origin gets /v1/metrics. */
export function replayHttpUrl(endpoint: string): string {
  const u = new URL(endpoint);
  if (u.pathname === '' || u.pathname === '/') u.pathname = '/v1/metrics';
  return u.toString();
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The fixed-rate replay loader: pre-encodes OTLP ExportMetricsServiceRequests for `series` series,
 * then sends them round after round (every series once per round, fresh timestamps and increasing
 * cumulative values patched into the encoded bytes) at `rate` data points per second with at most
 * `concurrency` requests in flight (and never two for the same series, so rounds cannot overtake each
 * other), for `durationSeconds`. Resolves with what the receiver accepted.
 */
export async function runReplay(options: ReplayOptions, deps: ReplayDeps = {}): Promise<GeneratorsReplayReport> {
  const problems = validateReplayOptions(options);
  if (problems.length > 0) throw new Error(`invalid replay options:\n  ${problems.join('\n  ')}`);
  const batchSize = options.batchSize ?? 1000;
  const concurrency = options.concurrency ?? 8;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const monotonicNs = deps.monotonicNs ?? (() => process.hrtime.bigint());
  const nowMs = deps.nowMs ?? Date.now;
  const endpoint = options.protocol === 'http' ? replayHttpUrl(options.endpoint) : options.endpoint;
  const sender =
    deps.sender ??
    (options.protocol === 'http'
      ? createHttpSender(endpoint, { concurrency, timeoutMs, headers: options.headers })
      : createGrpcSender(endpoint, { timeoutMs, metadata: options.headers }));

  const epochStartNs = BigInt(nowMs()) * 1_000_000n;
  const requests = encodeReplayRequests({
    series: options.series,
    batchSize,
    seriesPerHost: options.seriesPerHost ?? 1000,
    startTimeUnixNano: epochStartNs,
  });

  const counts = { sent: 0, succeeded: 0, partial: 0, failed: 0, pointsSent: 0, rejected: 0 };
  const errors = new Map<string, number>();
  let latencies = new Float64Array(1024);
  let latencyCount = 0;
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const t0 = monotonicNs();
  const elapsedS = (): number => Number(monotonicNs() - t0) / 1e9;
  const durationS = options.durationSeconds;
  let next = 0;
  let round = 0;
  let lastAnswerAt = t0;
  const all: Promise<void>[] = [];
  let loopEnd = t0;

  // A request's series must not be in flight twice: a later round overtaking an earlier one on
  // another connection would reach the receiver out of order.
  const busy = new Uint8Array(requests.length);
  const sendOne = (index: number, sendRound: number): Promise<void> => {
    const req = requests[index];
    busy[index] = 1;
    const body = stampRequest(req, epochStartNs + (monotonicNs() - t0) + 1n, sendRound);
    const started = monotonicNs();
    inFlight++;
    counts.sent++;
    counts.pointsSent += req.points;
    return sender.send(body).then((outcome) => {
      const ended = monotonicNs();
      lastAnswerAt = ended > lastAnswerAt ? ended : lastAnswerAt;
      if (latencyCount === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[latencyCount++] = Number(ended - started) / 1e6;
      if (!outcome.ok) {
        counts.failed++;
        counts.rejected += req.points;
      } else if (outcome.rejected > 0) {
        counts.partial++;
        counts.rejected += Math.min(req.points, outcome.rejected);
      } else {
        counts.succeeded++;
      }
      if (outcome.error) errors.set(outcome.error, (errors.get(outcome.error) ?? 0) + 1);
      inFlight--;
      busy[index] = 0;
      notify();
    });
  };

  try {
    for (;;) {
      const elapsed = elapsedS();
      if (elapsed >= durationS) break;
      if (inFlight >= concurrency || busy[next] === 1) {
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      const req = requests[next];
      const allowed = options.rate * elapsed + batchSize;
      if (counts.pointsSent + req.points > allowed) {
        const waitS = (counts.pointsSent + req.points - allowed) / options.rate;
        const waitMs = Math.min(waitS * 1000, (durationS - elapsed) * 1000);
        await new Promise<void>((r) => {
          const timer = setTimeout(r, Math.max(1, waitMs));
          wake = () => {
            clearTimeout(timer);
            r();
          };
        });
        continue;
      }
      all.push(sendOne(next, round));
      next++;
      if (next === requests.length) {
        next = 0;
        round++;
      }
    }
    loopEnd = monotonicNs();
    await Promise.all(all);
  } finally {
    if (!deps.sender) sender.close();
  }

  const duration = Number((lastAnswerAt > loopEnd ? lastAnswerAt : loopEnd) - t0) / 1e9;
  const sorted = latencies.slice(0, latencyCount).sort();
  const accepted = counts.pointsSent - counts.rejected;
  const report: GeneratorsReplayReport = {
    protocol: options.protocol,
    endpoint,
    series: options.series,
    batch_size: batchSize,
    requests_per_round: requests.length,
    concurrency,
    target_rate: options.rate,
    duration_seconds: round3(duration),
    rounds: round,
    requests: { sent: counts.sent, succeeded: counts.succeeded, partial: counts.partial, failed: counts.failed },
    data_points: { sent: counts.pointsSent, accepted, rejected: counts.rejected },
    achieved_rate: duration > 0 ? round3(accepted / duration) : 0,
    sent_rate: duration > 0 ? round3(counts.pointsSent / duration) : 0,
    latency_ms: {
      p50: round3(percentile(sorted, 0.5)),
      p90: round3(percentile(sorted, 0.9)),
      p99: round3(percentile(sorted, 0.99)),
      max: round3(sorted.length ? sorted[sorted.length - 1] : 0),
    },
    errors: [...errors.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([message, count]) => ({ message, count })) as GeneratorsReplayReport['errors'],
  };
  return report;
}
