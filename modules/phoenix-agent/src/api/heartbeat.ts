import type { AgentHeartbeat, AgentHeartbeatResponse } from '@phoenix/contracts';
import { createLogLimiter, type Clock, type Logger, type LogLimiter } from '@phoenix/runtime';
import { Backoff, jittered } from '../net/backoff';
import { Wake } from '../net/wake';
import { ApiCallError, type ApiClient } from './client';

export interface HeartbeatLoopDeps {
  api: Pick<ApiClient, 'heartbeat'>;
  clock: Clock;
  log: Logger;
  /** the heartbeat to send now */
  body: () => AgentHeartbeat;
  /** every answer (interval, poll timeout, drained) */
  onAnswer: (r: AgentHeartbeatResponse) => void;
  /** the first success after failures: the other loops should retry now */
  onRecovered: () => void;
  intervalSeconds: number;
  retry: { backoffMaxSeconds: number; authRetrySeconds: number };
  random?: () => number;
}

/**
 * Registers (the first heartbeat) and reports liveness every `heartbeat_interval_seconds` (the API's answer;
 * the configured interval until then). While the API is unreachable the interval stretches with backoff; a
 * refused key is logged as an error naming PHOENIX_AGENT_KEY and retried slowly, never a crash loop.
 */
export class HeartbeatLoop {
  private readonly wake: Wake;
  private readonly aborter = new AbortController();
  private readonly backoff: Backoff;
  private readonly limiter: LogLimiter;
  private readonly random: () => number;
  private loop: Promise<void> | undefined;
  private interval: number;
  private failing = false;
  private authStatus: number | undefined;
  /** the last answer of the API */
  last: AgentHeartbeatResponse | undefined;
  lastSentAt: number | undefined;

  constructor(private readonly d: HeartbeatLoopDeps) {
    this.wake = new Wake(d.clock);
    this.random = d.random ?? Math.random;
    this.interval = d.intervalSeconds;
    this.backoff = new Backoff(500, d.retry.backoffMaxSeconds * 1000, this.random);
    this.limiter = createLogLimiter(d.log, { first: 3, intervalMs: 60_000, clock: d.clock });
  }

  get intervalSeconds(): number {
    return this.interval;
  }

  start(): void {
    this.loop = this.run();
  }

  /** Sends the next heartbeat now (e.g. a task started or finished). */
  now(): void {
    if (!this.failing) this.wake.wake();
  }

  async stop(): Promise<void> {
    this.wake.stop();
    this.aborter.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.wake.isStopped) {
      let wait = this.interval * 1000;
      try {
        this.lastSentAt = this.d.clock.now();
        const r = await this.d.api.heartbeat(this.d.body(), this.aborter.signal);
        this.last = r;
        this.interval = r.heartbeat_interval_seconds;
        wait = this.interval * 1000;
        this.backoff.reset();
        if (this.authStatus !== undefined) this.d.log.info('phoenix-api accepts this agent key again');
        this.authStatus = undefined;
        if (this.failing) {
          this.failing = false;
          this.d.log.info('phoenix-api reachable again: catching up', { host_id: r.host_id });
          this.d.onRecovered();
        }
        if (r.registered) this.d.log.info('registered with phoenix-api', { host_id: r.host_id, heartbeat_interval_seconds: r.heartbeat_interval_seconds });
        this.d.onAnswer(r);
      } catch (err) {
        if (this.wake.isStopped) break;
        this.failing = true;
        wait = this.onFailure(err);
      }
      await this.wake.wait(wait);
    }
  }

  private onFailure(err: unknown): number {
    const f = err instanceof ApiCallError ? err.failure : undefined;
    if (f?.kind === 'auth') {
      const fields = { status: f.status, error: f.message, retry_in_seconds: this.d.retry.authRetrySeconds };
      const what =
        f.status === 401
          ? 'phoenix-api refuses this agent key (401: unknown, wrong or revoked): check PHOENIX_AGENT_KEY'
          : 'phoenix-api refuses this agent key for this host (403: the key is bound to another host id): check PHOENIX_AGENT_KEY and PHOENIX_HOST_ID';
      if (this.authStatus !== f.status) this.d.log.error(what, fields);
      else this.limiter.error('auth', what, fields);
      this.authStatus = f.status;
      return jittered(this.d.retry.authRetrySeconds * 1000, this.random);
    }
    const wait = Math.max(this.interval * 1000, this.backoff.next(), f?.kind === 'unavailable' ? (f.retryAfterMs ?? 0) : 0);
    this.limiter.warn('unavailable', 'heartbeat failed: phoenix-api unreachable; keeping the last applied control, will retry', { error: (err as Error).message, retry_in_ms: wait });
    return wait;
  }
}
