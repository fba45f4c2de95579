import type { Clock, TimerHandle } from '@phoenix/runtime';

export type WakeReason = 'timeout' | 'woken' | 'stopped';

/**
 * Where a loop sleeps between rounds: until its timer (on the injected clock), a `wake()` (new work), or
 * `stop()`. One pending wait at a time; no polling.
 */
export class Wake {
  private pending: { resolve: (r: WakeReason) => void; timer: TimerHandle | undefined } | undefined;
  private woken = false;
  private stopped = false;

  constructor(private readonly clock: Clock) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Waits `ms` (undefined: until woken or stopped). A wake() that came while not waiting ends the next wait at once. */
  wait(ms?: number): Promise<WakeReason> {
    if (this.stopped) return Promise.resolve('stopped');
    if (this.woken) {
      this.woken = false;
      return Promise.resolve('woken');
    }
    this.settle('woken');
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : this.clock.setTimeout(() => this.settle('timeout'), ms);
      this.pending = { resolve, timer };
    });
  }

  wake(): void {
    if (this.pending) this.settle('woken');
    else this.woken = true;
  }

  stop(): void {
    this.stopped = true;
    this.settle('stopped');
  }

  private settle(reason: WakeReason): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    if (p.timer) this.clock.clearTimeout(p.timer);
    p.resolve(reason);
  }
}
