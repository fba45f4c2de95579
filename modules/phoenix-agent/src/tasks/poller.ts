import type { Clock, Logger, LogLimiter } from '@phoenix/runtime';
import { createLogLimiter } from '@phoenix/runtime';
import { ApiCallError, type ApiClient } from '../api/client';
import { Backoff, jittered } from '../net/backoff';
import { Wake } from '../net/wake';
import type { TaskRunner } from './runner';

export interface TaskPollerDeps {
  api: Pick<ApiClient, 'pollTasks'>;
  runner: TaskRunner;
  clock: Clock;
  log: Logger;
  /** the wait of each long poll (the API's poll_timeout_seconds once it said so) */
  waitSeconds: () => number;
  retry: { backoffMaxSeconds: number; authRetrySeconds: number };
  random?: () => number;
}

/** Answers faster than this with no task make the next poll wait the difference: a long poll never spins. */
const MIN_ROUND_MS = 1000;

/**
 * The long poll: one `GET /api/v1/agent/tasks?wait=..&max=<free slots>` at a time, its tasks handed to the
 * runner; when every slot is busy it waits for one to free up. Failures back off (jittered); a refused key
 * waits the slow auth retry; an API that answers at once without tasks does not make it spin.
 */
export class TaskPoller {
  private readonly wake: Wake;
  private readonly aborter = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly backoff: Backoff;
  private readonly limiter: LogLimiter;
  private readonly random: () => number;

  constructor(private readonly d: TaskPollerDeps) {
    this.wake = new Wake(d.clock);
    this.random = d.random ?? Math.random;
    this.backoff = new Backoff(500, d.retry.backoffMaxSeconds * 1000, this.random);
    this.limiter = createLogLimiter(d.log, { first: 3, intervalMs: 60_000, clock: d.clock });
  }

  start(): void {
    const unsubscribe = this.d.runner.onSlotFree(() => this.wake.wake());
    this.loop = this.run().finally(unsubscribe);
  }

  /** The API answered again: poll now rather than at the end of the backoff. */
  nudge(): void {
    if (this.backoff.failures > 0) this.wake.wake();
  }

  async stop(): Promise<void> {
    this.wake.stop();
    this.aborter.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.wake.isStopped) {
      const slots = this.d.runner.freeSlots();
      if (slots === 0) {
        await this.wake.wait();
        continue;
      }
      const began = this.d.clock.now();
      let wait: number | undefined;
      try {
        const waitSeconds = this.d.waitSeconds();
        const tasks = await this.d.api.pollTasks({ waitSeconds, max: Math.min(slots, 20), signal: this.aborter.signal });
        this.backoff.reset();
        for (const t of tasks) this.d.runner.accept(t);
        const took = this.d.clock.now() - began;
        if (tasks.length === 0 && took < MIN_ROUND_MS) wait = MIN_ROUND_MS - took;
      } catch (err) {
        if (this.wake.isStopped) break;
        wait = this.onFailure(err);
      }
      if (wait !== undefined) await this.wake.wait(wait);
    }
  }

  private onFailure(err: unknown): number {
    const f = err instanceof ApiCallError ? err.failure : undefined;
    if (f?.kind === 'auth') {
      this.limiter.error('auth', 'task poll: phoenix-api refuses this agent key (wrong, revoked, or bound to another host); retrying slowly', {
        status: f.status,
        error: f.message,
        retry_in_seconds: this.d.retry.authRetrySeconds,
      });
      return jittered(this.d.retry.authRetrySeconds * 1000, this.random);
    }
    const wait = Math.max(this.backoff.next(), f?.kind === 'unavailable' ? (f.retryAfterMs ?? 0) : 0);
    this.limiter.warn('unavailable', 'task poll failed; will retry', { error: (err as Error).message, retry_in_ms: wait });
    return wait;
  }
}
