/** Resolves after `ms` or as soon as `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Calls `fn` every `intervalMs` (measured from the start of each call; a slow call is followed at once) until
 * `signal` aborts. `fn` never runs twice at the same time.
 */
export async function every(intervalMs: number, signal: AbortSignal, fn: () => Promise<void>, now: () => number = () => Date.now()): Promise<void> {
  while (!signal.aborted) {
    const started = now();
    await fn();
    if (signal.aborted) break;
    await sleep(intervalMs - (now() - started), signal);
  }
}
