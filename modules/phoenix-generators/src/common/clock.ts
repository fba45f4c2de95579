/** Opaque handle of a scheduled callback. */
export type TimerHandle = { readonly id: unknown };

/** Time source and scheduler, passed in so tests can drive time (no global clock). */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` after `ms`; a promise it returns is awaited by manual clocks (the system clock ignores it). */
  setTimeout(fn: () => unknown, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock (Date.now and the Node timers). */
export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => ({ id: setTimeout(() => void fn(), Math.max(0, ms)) }),
    clearTimeout: (handle) => clearTimeout(handle.id as NodeJS.Timeout),
  };
}

/** A clock that only moves when told to (tests): advance() runs the callbacks that fall due, in order. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, running due callbacks (and awaiting what they return). */
  advance(ms: number): Promise<void>;
  /** Callbacks scheduled and not yet run. */
  pending(): number;
}

/** Creates a manual clock starting at `startMs`. */
export function createManualClock(startMs = Date.UTC(2026, 0, 1)): ManualClock {
  let now = startMs;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => unknown }>();
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = ++seq;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return { id };
    },
    clearTimeout: (h) => {
      timers.delete(h.id as number);
    },
    pending: () => timers.size,
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        let nextId: number | undefined;
        let nextAt = Infinity;
        for (const [id, t] of timers) if (t.at <= end && t.at < nextAt) [nextId, nextAt] = [id, t.at];
        if (nextId === undefined) break;
        const t = timers.get(nextId);
        timers.delete(nextId);
        now = Math.max(now, nextAt);
        await t?.fn();
        // Let promise chains started by the callback settle.
        await new Promise((r) => setImmediate(r));
      }
      now = end;
    },
  };
}
