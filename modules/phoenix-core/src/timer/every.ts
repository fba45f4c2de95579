import type { Clock, TimerHandle } from '@phoenix/runtime';

/**
 * Runs `tick` every `ms` on `clock` (the next run is scheduled after the previous one returned, so
 * runs never overlap) until the returned function is called. `tick` must not throw.
 */
export function every(clock: Clock, ms: number, tick: () => void): () => void {
  let stopped = false;
  let handle: TimerHandle;
  const run = (): void => {
    if (stopped) return;
    tick();
    if (!stopped) handle = clock.setTimeout(run, ms);
  };
  handle = clock.setTimeout(run, ms);
  return () => {
    stopped = true;
    clock.clearTimeout(handle);
  };
}
