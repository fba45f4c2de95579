/** Opaque handle of a scheduled callback. */
export interface TimerHandle {
  readonly id: unknown;
}

/**
 * Time source and scheduler, passed into every component (never a global), so tests drive time
 * with a {@link ManualClock} instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once after `ms` (a returned promise is awaited by {@link ManualClock.advanceAsync}). */
  setTimeout(fn: () => unknown, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The wall clock: `Date.now` and Node's timers. Its timers do not keep the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(() => void fn(), Math.max(0, ms));
    t.unref();
    return { id: t };
  },
  clearTimeout: (h) => clearTimeout(h.id as NodeJS.Timeout),
};

interface Pending {
  at: number;
  seq: number;
  fn: () => unknown;
}

/**
 * A clock that only moves when told to (tests, simulations). Timers fall due as time is advanced,
 * in order of due time, then of scheduling.
 */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, Pending>();

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => unknown, ms: number): TimerHandle {
    const seq = ++this.seq;
    this.timers.set(seq, { at: this.t + Math.max(0, ms), seq, fn });
    return { id: seq };
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle.id as number);
  }

  /** Callbacks scheduled and not yet run. */
  pending(): number {
    return this.timers.size;
  }

  /** Sets the time (forward or backward) without running timers. */
  set(ms: number): void {
    this.t = ms;
  }

  /** Moves time forward by `ms`, running the callbacks that fall due (a returned promise is not awaited). */
  advance(ms: number): void {
    const end = this.t + Math.max(0, ms);
    for (let next = this.nextDue(end); next; next = this.nextDue(end)) {
      this.timers.delete(next.seq);
      this.t = Math.max(this.t, next.at);
      void next.fn();
    }
    this.t = end;
  }

  /** Like {@link advance}, but awaits each callback and lets the promise chains it started settle. */
  async advanceAsync(ms: number): Promise<void> {
    const end = this.t + Math.max(0, ms);
    for (let next = this.nextDue(end); next; next = this.nextDue(end)) {
      this.timers.delete(next.seq);
      this.t = Math.max(this.t, next.at);
      await next.fn();
      await new Promise((r) => setImmediate(r));
    }
    this.t = end;
  }

  private nextDue(end: number): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.timers.values()) {
      if (p.at > end) continue;
      if (!best || p.at < best.at || (p.at === best.at && p.seq < best.seq)) best = p;
    }
    return best;
  }
}

/**
 * Resolves after `ms` on `clock` (with a ManualClock: once time is advanced past it), or as soon as
 * `signal` aborts (at once when it already has). It never rejects: the caller checks `signal.aborted`.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(timer);
      resolve();
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** RFC 3339 / ISO 8601 in UTC. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
