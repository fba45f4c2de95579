import type { AgentTask, ContractValidator } from '@phoenix/contracts';
import type { Logger } from '@phoenix/runtime';

export type TaskType = AgentTask['type'];

/** How one attempt of a task ended. */
export type TaskOutcome =
  | { status: 'succeeded'; result: Record<string, unknown> }
  | { status: 'failed'; error: string; retryable: boolean; result?: Record<string, unknown> };

export interface TaskContext {
  task: AgentTask;
  /** aborted when the agent stops, the task's deadline passes, or the API says the attempt is no longer current */
  signal: AbortSignal;
  log: Logger;
}

/** One task type: its config schema, whether this host can do it, and the doing. */
export interface TaskExecutor<C = unknown> {
  readonly type: TaskType;
  /** the task_<type> schema */
  readonly validate: ContractValidator<C>;
  /** undefined when this host can run it; otherwise why not (the task fails non-retryably with it) */
  unsupported(): string | undefined;
  run(config: C, ctx: TaskContext): Promise<TaskOutcome>;
}

export function succeeded(result: Record<string, unknown>): TaskOutcome {
  return { status: 'succeeded', result };
}

export function failed(error: string, retryable: boolean, result?: Record<string, unknown>): TaskOutcome {
  return result ? { status: 'failed', error, retryable, result } : { status: 'failed', error, retryable };
}
