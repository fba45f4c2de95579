import type { Clock, Logger } from '@phoenix/runtime';
import { every } from '../timer/every';
import type { CorePipelines } from './corePipelines';

/**
 * Runs the staleness sweep and the top-k ranking of `core` every `sweepIntervalMs` /
 * `rankIntervalMs` on `clock` (a failure is logged and the next run goes ahead). Returns the
 * function that stops both.
 */
export function startMaintenance(
  core: Pick<CorePipelines, 'sweep' | 'rank'>,
  intervals: { sweepIntervalMs: number; rankIntervalMs: number },
  clock: Clock,
  log: Logger,
): () => void {
  const guarded = (what: string, run: () => void) => () => {
    try {
      run();
    } catch (err) {
      log.error(`${what} failed`, { err });
    }
  };
  const stops = [
    every(
      clock,
      intervals.sweepIntervalMs,
      guarded('staleness sweep', () => {
        const n = core.sweep();
        if (n > 0) log.debug('expired stale series', { series: n });
      }),
    ),
    every(clock, intervals.rankIntervalMs, guarded('top-k ranking', () => core.rank())),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
