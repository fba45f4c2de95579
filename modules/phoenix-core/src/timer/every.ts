import type { Clock, TimerHandle } from '@phoenix/runtime';

/**
 * Runs `tick` every `ms` on `clock`, at a fixed rate as setInterval does: the n-th run is due at
 * start + n·ms however long the runs take (a run that overran is followed at once by the next, never
 * by two), so timers of the same interval started together stay in phase and their work lands in
 * one pause of the event loop, not in several. Until the returned function is called. `tick` must
 * not throw.
 */
export function every(clock: Clock, ms: number, tick: () => void): () => void {
  let stopped = false;
  let due = clock.now() + ms;
  let handle: TimerHandle;
  const run = (): void => {
    if (stopped) return;
    tick();
    if (stopped) return;
    due = Math.max(due + ms, clock.now());
    handle = clock.setTimeout(run, due - clock.now());
  };
  handle = clock.setTimeout(run, ms);
  return () => {
    stopped = true;
    clock.clearTimeout(handle);
  };
}
