import type { AgentTask, AgentTaskStatus } from '@phoenix/contracts';
import type { Clock, Logger, TimerHandle } from '@phoenix/runtime';
import { ApiCallError, type ApiClient } from '../api/client';
import type { Outbox } from '../outbox/outbox';
import type { Metric, MetricsRegistry } from '../telemetry/metrics';
import type { TaskJournal } from './journal';
import { failed, type TaskExecutor, type TaskOutcome, type TaskType } from './types';

export interface TaskRunnerDeps {
  executors: ReadonlyArray<TaskExecutor<never>>;
  journal: TaskJournal;
  outbox: Outbox;
  api: Pick<ApiClient, 'reportStatus'>;
  clock: Clock;
  log: Logger;
  registry: MetricsRegistry;
  maxConcurrent: number;
}

interface Running {
  /** the latest claim of the task (a re-claim after a lost lease carries a new attempt) */
  task: AgentTask;
  abort: AbortController;
  /** why it was aborted */
  abortReason?: 'stopping' | 'stale' | 'deadline';
  leaseTimer?: TimerHandle;
  deadlineTimer?: TimerHandle;
  done?: Promise<void>;
}

const MAX_ERROR = 4000;

/**
 * Runs the tasks the poller hands over: each is looked up in the journal first (finished before: report
 * again, do not redo), its config checked against its task_<type> schema and its type against what this
 * host can do (both fail it non-retryably), reported `running` (which extends the lease, renewed at half
 * the lease), run (tasks of one type one after the other), journaled, and its report queued in the outbox.
 */
export class TaskRunner {
  private readonly running = new Map<string, Running>();
  private readonly lanes = new Map<TaskType, Promise<void>>();
  private readonly executors: Map<TaskType, TaskExecutor<unknown>>;
  private readonly slotListeners = new Set<() => void>();
  private readonly tasks: Metric;
  private stopped = false;

  constructor(private readonly d: TaskRunnerDeps) {
    this.executors = new Map(d.executors.map((e) => [e.type, e as TaskExecutor<unknown>]));
    this.tasks = d.registry.counter('phoenix_agent_tasks_total', 'Tasks handled, by type and outcome (succeeded, failed, from_journal, abandoned).', ['type', 'outcome']);
    d.registry.gauge('phoenix_agent_tasks_running', 'Tasks in progress.', [], (m) => m.set({}, this.running.size));
  }

  freeSlots(): number {
    return this.stopped ? 0 : Math.max(0, this.d.maxConcurrent - this.running.size);
  }

  activeTaskIds(): string[] {
    return [...this.running.keys()];
  }

  /** Calls `fn` when a slot frees up; returns the unsubscribe function. */
  onSlotFree(fn: () => void): () => void {
    this.slotListeners.add(fn);
    return () => this.slotListeners.delete(fn);
  }

  /** Takes a claimed task (never throws). */
  accept(task: AgentTask): void {
    if (this.stopped) return;
    const log = this.d.log.child({ task_id: task.id, task_type: task.type, attempt: task.attempts });
    const current = this.running.get(task.id);
    if (current) {
      // the lease ran out while it was running and the API handed it to us again: go on under the new attempt
      current.task = task;
      log.info('task handed out again while running: continuing under the new attempt');
      return;
    }
    const done = this.d.journal.get(task.id);
    if (done) {
      log.info('task already done (journal): reporting it again, not running it again', { done_in_attempt: done.attempt, status: done.outcome.status });
      this.queueReport(task, done.outcome);
      this.tasks.inc({ type: task.type, outcome: 'from_journal' });
      return;
    }
    const r: Running = { task, abort: new AbortController() };
    this.running.set(task.id, r);
    r.done = this.handle(r, log).finally(() => {
      this.clearTimers(r);
      this.running.delete(task.id);
      for (const l of this.slotListeners) l();
    });
  }

  /** Aborts what runs (not journaled: the API hands those out again after their lease) and waits for it. */
  async stop(): Promise<void> {
    this.stopped = true;
    const all = [...this.running.values()];
    for (const r of all) this.abort(r, 'stopping');
    await Promise.all(all.map((r) => r.done));
  }

  private async handle(r: Running, log: Logger): Promise<void> {
    const exec = this.executors.get(r.task.type);
    if (!exec) return this.finish(r, failed(`task type ${r.task.type} is not known to this agent`, false), log);
    const v = exec.validate(r.task.config);
    if (!v.ok) return this.finish(r, failed(`invalid ${r.task.type} config: ${v.errors.join('; ')}`, false), log);
    const unsupported = exec.unsupported();
    if (unsupported) return this.finish(r, failed(unsupported, false), log);
    this.armDeadline(r);
    await this.reportRunning(r, log);
    if (r.abort.signal.aborted) return this.afterAbort(r, log);
    const outcome = await this.inLane(r.task.type, async () => {
      if (r.abort.signal.aborted) return undefined;
      try {
        return await exec.run(v.value, { task: r.task, signal: r.abort.signal, log });
      } catch (err) {
        return failed(`${r.task.type} failed: ${(err as Error).message}`, true);
      }
    });
    if (!outcome || r.abort.signal.aborted) return this.afterAbort(r, log);
    return this.finish(r, outcome, log);
  }

  private afterAbort(r: Running, log: Logger): void {
    if (r.abortReason === 'deadline') this.finish(r, failed(`deadline ${r.task.deadline ?? ''} passed while the task ran`, false), log);
    else this.abandoned(r, log);
  }

  private finish(r: Running, outcome: TaskOutcome, log: Logger): void {
    try {
      this.d.journal.record(r.task.id, r.task.type, r.task.attempts, outcome);
    } catch (err) {
      log.error('journal write failed: the task may run again if its report is lost', { err });
    }
    this.queueReport(r.task, outcome);
    this.tasks.inc({ type: r.task.type, outcome: outcome.status });
    if (outcome.status === 'succeeded') log.info('task succeeded');
    else log.warn('task failed', { error: outcome.error, retryable: outcome.retryable });
  }

  private abandoned(r: Running, log: Logger): void {
    this.tasks.inc({ type: r.task.type, outcome: 'abandoned' });
    log.info('task abandoned (not journaled: the API hands it out again)', { reason: r.abortReason ?? 'aborted' });
  }

  private queueReport(task: AgentTask, outcome: TaskOutcome): void {
    const report: AgentTaskStatus = { attempt: Math.max(1, task.attempts), status: outcome.status };
    if (outcome.result) report.result = outcome.result;
    if (outcome.status === 'failed') {
      report.error = outcome.error.length > MAX_ERROR ? `${outcome.error.slice(0, MAX_ERROR - 3)}...` : outcome.error;
      report.retryable = outcome.retryable;
    }
    this.d.outbox.addReport({ task_id: task.id, type: task.type, report });
  }

  /** Reports `running` (extends the lease) and schedules the next one at half the lease. */
  private async reportRunning(r: Running, log: Logger): Promise<void> {
    if (r.abort.signal.aborted) return;
    let nextMs = 5000;
    try {
      const t = await this.d.api.reportStatus(r.task.id, { attempt: Math.max(1, r.task.attempts), status: 'running' }, r.abort.signal);
      const leaseUntil = t.lease_until ? Date.parse(t.lease_until) : NaN;
      if (Number.isFinite(leaseUntil)) nextMs = Math.min(60_000, Math.max(1000, (leaseUntil - this.d.clock.now()) / 2));
    } catch (err) {
      if (err instanceof ApiCallError && err.failure.kind === 'rejected' && (err.failure.status === 409 || err.failure.status === 404)) {
        log.info('the API says this attempt is no longer current (cancelled, finished or re-leased): stopping it', { status: err.failure.status, error: err.failure.message });
        this.abort(r, 'stale');
        return;
      }
      // the API is down or refuses the key: go on working; the report is tried again
    }
    if (r.abort.signal.aborted || !this.running.has(r.task.id)) return;
    r.leaseTimer = this.d.clock.setTimeout(() => this.reportRunning(r, log), nextMs);
  }

  private armDeadline(r: Running): void {
    const deadline = r.task.deadline ? Date.parse(r.task.deadline) : NaN;
    if (!Number.isFinite(deadline)) return;
    r.deadlineTimer = this.d.clock.setTimeout(() => this.abort(r, 'deadline'), Math.max(0, deadline - this.d.clock.now()));
  }

  private abort(r: Running, reason: NonNullable<Running['abortReason']>): void {
    if (r.abort.signal.aborted) return;
    r.abortReason = reason;
    this.clearTimers(r);
    r.abort.abort(new Error(reason));
  }

  private clearTimers(r: Running): void {
    if (r.leaseTimer) this.d.clock.clearTimeout(r.leaseTimer);
    if (r.deadlineTimer) this.d.clock.clearTimeout(r.deadlineTimer);
    r.leaseTimer = undefined;
    r.deadlineTimer = undefined;
  }

  /** Runs `fn` after the tasks of the same type queued before it. */
  private inLane<T>(type: TaskType, fn: () => Promise<T>): Promise<T> {
    const prev = this.lanes.get(type) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.lanes.set(type, tail);
    void tail.then(() => {
      if (this.lanes.get(type) === tail) this.lanes.delete(type);
    });
    return next;
  }
}
