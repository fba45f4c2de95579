import { sleep, type Clock } from '@phoenix/runtime';

/**
 * Calls `fn` every `intervalMs` on `clock` (measured from the start of each call; a slow call is followed at
 * once) until `signal` aborts. `fn` never runs twice at the same time.
 */
export async function every(clock: Clock, intervalMs: number, signal: AbortSignal, fn: () => Promise<void>): Promise<void> {
  while (!signal.aborted) {
    const started = clock.now();
    await fn();
    if (signal.aborted) break;
    await sleep(clock, intervalMs - (clock.now() - started), signal);
  }
}
