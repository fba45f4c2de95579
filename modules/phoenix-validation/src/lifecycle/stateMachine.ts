import type { BenchmarkRunState } from '@phoenix/contracts';

/**
 * The run lifecycle: pending -> running -> analyzing -> completed; pending or running -> cancelled;
 * pending, running or analyzing -> failed. completed, failed and cancelled are final.
 */
export const RUN_TRANSITIONS: Readonly<Record<BenchmarkRunState, readonly BenchmarkRunState[]>> = {
  pending: ['running', 'failed', 'cancelled'],
  running: ['analyzing', 'failed', 'cancelled'],
  analyzing: ['completed', 'failed'],
  completed: [],
  failed: [],
  cancelled: [],
};

export const RUN_STATES = Object.keys(RUN_TRANSITIONS) as BenchmarkRunState[];

export function isRunState(v: unknown): v is BenchmarkRunState {
  return typeof v === 'string' && v in RUN_TRANSITIONS;
}

export function canTransition(from: BenchmarkRunState, to: BenchmarkRunState): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

/** completed, failed, cancelled. */
export function isFinal(state: BenchmarkRunState): boolean {
  return RUN_TRANSITIONS[state].length === 0;
}

/** pending, running, analyzing. */
export function isInFlight(state: BenchmarkRunState): boolean {
  return !isFinal(state);
}

/** A transition the lifecycle does not allow. */
export class IllegalTransitionError extends Error {
  constructor(
    readonly runId: string,
    readonly from: BenchmarkRunState,
    readonly to: BenchmarkRunState,
  ) {
    super(`run ${runId}: illegal transition ${from} -> ${to} (allowed from ${from}: ${RUN_TRANSITIONS[from].join(', ') || 'none, it is final'})`);
    this.name = 'IllegalTransitionError';
  }
}

/** Throws IllegalTransitionError unless from -> to is allowed. */
export function assertTransition(runId: string, from: BenchmarkRunState, to: BenchmarkRunState): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(runId, from, to);
}
