import type { Clock } from '@phoenix/runtime';
import type { Backend, DatabaseHealth, PoolStats } from './database';

/** Up or down, since when and why; tells its listeners when that changes. */
export class HealthTracker {
  private isUp = true;
  private error: string | undefined;
  private since: number;
  private readonly listeners = new Set<(h: DatabaseHealth) => void>();

  constructor(
    private readonly backend: Backend,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly pool?: () => PoolStats,
  ) {
    this.since = clock.now();
  }

  get up(): boolean {
    return this.isUp;
  }

  markUp(): void {
    if (this.isUp) return;
    this.isUp = true;
    this.error = undefined;
    this.since = this.clock.now();
    this.emit();
  }

  markDown(error: string): void {
    if (!this.isUp) {
      this.error = error;
      return;
    }
    this.isUp = false;
    this.error = error;
    this.since = this.clock.now();
    this.emit();
  }

  onChange(fn: (h: DatabaseHealth) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  health(): DatabaseHealth {
    const h: DatabaseHealth = { backend: this.backend, up: this.isUp, since: this.since };
    if (this.error !== undefined) h.error = this.error;
    if (this.pool) h.pool = this.pool();
    return h;
  }

  private emit(): void {
    const h = this.health();
    for (const fn of this.listeners) {
      try {
        fn(h);
      } catch {
        // a listener's failure is its own
      }
    }
  }
}
