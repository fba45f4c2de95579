import { createLogLimiter, type Clock, type Logger, type LogLimiter } from '@phoenix/runtime';
import { ApiCallError, type ApiClient } from '../api/client';
import { Backoff, jittered } from '../net/backoff';
import { Wake } from '../net/wake';
import type { Metric, MetricsRegistry } from '../telemetry/metrics';
import type { OutboxConfig } from './config';
import type { Outbox } from './outbox';
import type { OutboxEntry, OutboxLane } from './outboxLane';

export interface OutboxDeliveryDeps {
  outbox: Outbox;
  api: ApiClient;
  clock: Clock;
  log: Logger;
  registry: MetricsRegistry;
  cfg: OutboxConfig;
  retry: { backoffMaxSeconds: number; authRetrySeconds: number };
  /** when this agent process started (agent_started_at of the batches) */
  startedAt: string;
  random?: () => number;
}

/** What one send did: the API took the entries, some of them already stored before. */
interface Sent {
  duplicates: number;
}

/**
 * Delivers the outbox, one loop per lane, oldest first: an entry leaves its lane only when the API
 * acknowledged it (or refused it for good: 400/404/409), so a crash or an outage loses nothing, and the API
 * counts a resent batch once (seq). Failures wait with exponential backoff and jitter; a refused key waits
 * the slow auth retry. `nudge()` (the API answered again) ends the waits at once: catch up when back.
 */
export class OutboxDelivery {
  private readonly idle: Wake[] = [];
  private readonly retry: Wake[] = [];
  private loops: Array<Promise<void>> = [];
  private readonly aborter = new AbortController();
  private readonly limiter: LogLimiter;
  private readonly m: { delivered: Metric; duplicates: Metric; rejected: Metric };
  private readonly random: () => number;

  constructor(private readonly d: OutboxDeliveryDeps) {
    this.limiter = createLogLimiter(d.log, { first: 3, intervalMs: 60_000, clock: d.clock });
    this.random = d.random ?? Math.random;
    this.m = {
      delivered: d.registry.counter('phoenix_agent_outbox_delivered_total', 'Entries the API acknowledged, by lane.', ['lane']),
      duplicates: d.registry.counter('phoenix_agent_outbox_duplicates_total', 'Delivered entries the API already had (a resend after a lost answer), by lane.', ['lane']),
      rejected: d.registry.counter('phoenix_agent_outbox_rejected_total', 'Entries the API refused for good (400/404/409) and that were dropped, by lane.', ['lane']),
    };
  }

  start(): void {
    const { outbox, api, cfg, startedAt } = this.d;
    this.loops = [
      this.run(outbox.reports, 1, async ([e]) => {
        await api.reportStatus(e.payload.task_id, e.payload.report, this.aborter.signal);
        return { duplicates: 0 };
      }),
      this.run(outbox.metrics, cfg.metricsBatch, async (batch) => {
        const [first, ...rest] = batch.map((e) => e.payload);
        const r = await api.sendMetrics({ agent_started_at: startedAt, samples: [first, ...rest] }, this.aborter.signal);
        return { duplicates: r.duplicates };
      }),
      this.run(outbox.logs, cfg.logsBatch, async (batch) => {
        const [first, ...rest] = batch.map((e) => e.payload);
        const r = await api.sendLogs({ agent_started_at: startedAt, lines: [first, ...rest] }, this.aborter.signal);
        return { duplicates: r.duplicates };
      }),
    ];
  }

  /** The API answered again: retry every lane now instead of at the end of its backoff. */
  nudge(): void {
    for (const w of this.retry) w.wake();
  }

  async stop(): Promise<void> {
    for (const w of [...this.idle, ...this.retry]) w.stop();
    // an in-flight send is cut short: its entries stay and are sent again (the API counts them once)
    this.aborter.abort();
    await Promise.all(this.loops);
  }

  private async run<P>(lane: OutboxLane<P>, batchSize: number, send: (batch: Array<OutboxEntry<P>>) => Promise<Sent>): Promise<void> {
    const idle = new Wake(this.d.clock);
    const retry = new Wake(this.d.clock);
    this.idle.push(idle);
    this.retry.push(retry);
    const unsubscribe = lane.onAdd(() => idle.wake());
    const backoff = new Backoff(500, this.d.retry.backoffMaxSeconds * 1000, this.random);
    try {
      while (!idle.isStopped) {
        const batch = lane.peek(batchSize);
        if (batch.length === 0) {
          await idle.wait();
          continue;
        }
        const lastSeq = batch[batch.length - 1].seq;
        try {
          const sent = await send(batch);
          lane.ack(lastSeq);
          backoff.reset();
          this.m.delivered.inc({ lane: lane.name }, batch.length);
          if (sent.duplicates > 0) this.m.duplicates.inc({ lane: lane.name }, sent.duplicates);
        } catch (err) {
          if (idle.isStopped) break;
          const wait = this.onFailure(lane, batch, lastSeq, err, backoff);
          if (wait !== undefined) await retry.wait(wait);
        }
      }
    } finally {
      unsubscribe();
    }
  }

  /** Handles a failed send; returns how long to wait before the next attempt (undefined: go on at once). */
  private onFailure<P>(lane: OutboxLane<P>, batch: Array<OutboxEntry<P>>, lastSeq: number, err: unknown, backoff: Backoff): number | undefined {
    const f = err instanceof ApiCallError ? err.failure : undefined;
    if (f?.kind === 'rejected') {
      // the API will never take these: keeping them would block the lane for ever
      lane.ack(lastSeq);
      this.m.rejected.inc({ lane: lane.name }, batch.length);
      const level = f.status === 409 || f.status === 404 ? 'info' : 'error';
      this.d.log[level]('outbox: the API refused entries for good; dropped', {
        lane: lane.name,
        first_seq: batch[0].seq,
        last_seq: lastSeq,
        status: f.status,
        error: f.message,
        details: f.details.slice(0, 10),
      });
      return undefined;
    }
    if (f?.kind === 'auth') {
      this.limiter.error(`auth-${lane.name}`, 'outbox: phoenix-api refuses this agent key; retrying slowly', { lane: lane.name, status: f.status, error: f.message, retry_in_seconds: this.d.retry.authRetrySeconds });
      return jittered(this.d.retry.authRetrySeconds * 1000, this.random);
    }
    const wait = Math.max(backoff.next(), f?.kind === 'unavailable' ? (f.retryAfterMs ?? 0) : 0);
    this.limiter.warn(`unavailable-${lane.name}`, 'outbox: delivery failed; will retry', { lane: lane.name, pending: lane.size, error: (err as Error).message, retry_in_ms: wait });
    return wait;
  }
}
