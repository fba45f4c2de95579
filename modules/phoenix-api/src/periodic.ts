import type { Clock, TimerHandle } from '@phoenix/runtime';

/**
 * Runs `run` every `intervalMs` on the clock, the next run scheduled when the previous one settled (runs never
 * overlap). `run` must not throw; a rejection is passed to `onError`.
 */
export class Periodic {
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly run: () => Promise<void>,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  start(): void {
    if (!this.stopped && !this.timer) this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(async () => {
      try {
        await this.run();
      } catch (err) {
        this.onError(err);
      }
      if (!this.stopped) this.schedule();
    }, this.intervalMs);
  }
}
