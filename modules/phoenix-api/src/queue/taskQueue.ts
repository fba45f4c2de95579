import crypto from 'node:crypto';
import type { AgentTaskStatus } from '@phoenix/contracts';
import type { Clock, Logger } from '@phoenix/runtime';
import type { Database, Queryable, Transaction } from '../db/database';
import { conflict, forbidden, notFound } from '../errors';
import { FINAL_STATUSES, taskRepo, type StoredReport, type TaskRow, type TaskType } from '../repo/taskRepo';
import type { ApiMetrics } from '../telemetry/metrics';
import { retryDelayMs, type QueueConfig } from './config';
import { ClaimHints } from './claimHints';
import { Waiters } from './waiters';

/** The channel of "a task is claimable for host X" (payload: the host id, or `host\tms` for a retry due at ms). */
export const TASKS_CHANNEL = 'phoenix_tasks';

export interface EnqueueInput {
  hostId: string;
  type: TaskType;
  action?: string;
  config: Record<string, unknown>;
  priority?: number;
  maxAttempts?: number;
  deadlineSeconds?: number;
  idempotencyKey?: string;
  /** who queued it: operator, fleet_controller, experiment:<id> */
  source: string;
  /** cancel still-pending tasks of the same host, type and source (the fleet controller's older allocation) */
  supersede?: boolean;
}

export interface TaskQueueDeps {
  db: Database;
  config: QueueConfig;
  clock: Clock;
  log: Logger;
  metrics: ApiMetrics;
  /** jitter of retries (tests pass a fixed one) */
  random?: () => number;
}

function sameReport(a: StoredReport, b: StoredReport): boolean {
  return (
    a.attempt === b.attempt &&
    a.status === b.status &&
    (a.error ?? null) === (b.error ?? null) &&
    (a.retryable ?? true) === (b.retryable ?? true) &&
    JSON.stringify(a.result ?? null) === JSON.stringify(b.result ?? null)
  );
}

/**
 * The task queue: enqueue (+ a notification in the same transaction, so it fires on commit on every
 * replica), claim (FOR UPDATE SKIP LOCKED), long polls woken by those notifications, idempotent status
 * reports with leases, bounded retries with backoff, cancellation.
 */
export class TaskQueue {
  readonly waiters: Waiters;
  readonly hints = new ClaimHints();
  private readonly random: () => number;
  private unsubscribe: Array<() => void> = [];

  constructor(private readonly d: TaskQueueDeps) {
    this.waiters = new Waiters(d.clock);
    this.random = d.random ?? Math.random;
  }

  /** Listens for wake-ups (and looks again after the notification connection came back). */
  async start(): Promise<void> {
    this.unsubscribe.push(await this.d.db.listen(TASKS_CHANNEL, (payload) => this.onNotification(payload)));
    this.unsubscribe.push(
      this.d.db.onReconnect(() => {
        // notifications may have been missed: every host may have work until the database says again
        this.hints.reset();
        this.waiters.wakeAll();
        void this.loadHints();
      }),
    );
    await this.loadHints();
  }

  /** Which hosts have pending tasks (after LISTEN is up); on failure every host stays "may have work". */
  private async loadHints(): Promise<void> {
    try {
      const rows = await taskRepo.pendingHosts(this.d.db);
      this.hints.load(rows.map((r) => ({ hostId: r.host_id, at: r.due ? r.due.getTime() : 0 })));
    } catch (err) {
      this.d.log.warn('pending hosts not loaded: every long poll claims', { err: (err as Error).message });
    }
  }

  /** A host's tasks may have become claimable outside the queue (it was undrained): its next poll claims. */
  async hostChanged(hostId: string, tx: Transaction): Promise<void> {
    await tx.notify(TASKS_CHANNEL, hostId);
  }

  /** Answers every waiting long poll (empty) and stops listening. */
  stop(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.waiters.closeAll();
  }

  /** Queues a task (in `tx` when given, else in a transaction of its own). */
  async enqueue(input: EnqueueInput, tx?: Transaction): Promise<{ task: TaskRow; created: boolean }> {
    if (!tx) return this.d.db.transaction((t) => this.enqueue(input, t));
    const now = this.d.clock.now();
    const deadlineSeconds = input.deadlineSeconds ?? this.d.config.defaultDeadlineSeconds;
    const out = await taskRepo.insert(tx, {
      id: crypto.randomUUID(),
      hostId: input.hostId,
      type: input.type,
      action: input.action,
      config: input.config,
      priority: input.priority ?? 0,
      maxAttempts: input.maxAttempts ?? this.d.config.defaultMaxAttempts,
      deadline: new Date(now + deadlineSeconds * 1000),
      source: input.source,
      idempotencyKey: input.idempotencyKey,
      now: new Date(now),
    });
    if (out.created) {
      if (input.supersede) {
        const cancelled = await taskRepo.supersedePending(tx, { hostId: input.hostId, type: input.type, source: input.source, keepId: out.task.id, now: new Date(now) });
        for (let i = 0; i < cancelled.length; i++) this.d.metrics.taskEvents.inc({ type: input.type, event: 'superseded' });
      }
      await tx.notify(TASKS_CHANNEL, input.hostId);
      this.d.metrics.taskEvents.inc({ type: input.type, event: 'queued' });
    }
    return out;
  }

  /** Claims up to `max` tasks of the host now. */
  async claim(hostId: string, max: number, q: Queryable = this.d.db): Promise<TaskRow[]> {
    const now = this.d.clock.now();
    const rows = await taskRepo.claim(q, hostId, max, new Date(now), new Date(now + this.d.config.leaseSeconds * 1000));
    for (const r of rows) {
      this.d.metrics.taskEvents.inc({ type: r.type, event: 'claimed' });
      this.d.metrics.dispatchSeconds.observe(Math.max(0, now - r.queued_at.getTime()) / 1000);
    }
    return rows;
  }

  /**
   * The long poll: claims now; if there is nothing, waits (holding no connection) for a wake-up of the host,
   * then claims again, until `waitMs` passed. The waiter is registered before the claim, so a task queued
   * between the claim and the wait still wakes it. `signal` ends the wait (the client went away).
   */
  async poll(hostId: string, max: number, waitMs: number, signal?: AbortSignal): Promise<TaskRow[]> {
    const deadline = this.d.clock.now() + waitMs;
    let woken = false;
    for (;;) {
      const remaining = deadline - this.d.clock.now();
      const w = remaining > 0 && !signal?.aborted ? this.waiters.wait(hostId, remaining) : undefined;
      const onAbort = (): void => w?.cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        // a host this process knows has nothing claimable waits without a query (see ClaimHints); a wake claims
        const now = this.d.clock.now();
        const gen = this.hints.generation(hostId);
        const claim = woken || !w || this.hints.mayHaveWork(hostId, now);
        const tasks = claim
          ? await this.claim(hostId, max).catch((err: unknown) => {
              w?.cancel();
              throw err;
            })
          : [];
        // fewer than asked for: nothing more was claimable (what is due later stays known)
        if (claim && tasks.length < max) this.hints.claimedNothing(hostId, gen, now);
        if (tasks.length > 0 || !w) {
          w?.cancel();
          return tasks;
        }
        this.d.metrics.pollWaits.inc();
        if ((await w.promise) !== 'wake') return [];
        woken = true;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    }
  }

  /** An agent's report about an attempt (see the design: idempotent, 409 for another attempt or a final state). */
  async report(hostId: string, taskId: string, body: AgentTaskStatus): Promise<TaskRow> {
    return this.d.db.transaction(async (tx) => {
      const row = await taskRepo.get(tx, taskId, true);
      if (!row) throw notFound(`task ${taskId}`);
      if (row.host_id !== hostId) throw forbidden(`task ${taskId} is not a task of host ${hostId}`);
      const report: StoredReport = { attempt: body.attempt, status: body.status };
      if (body.result !== undefined) report.result = body.result;
      if (body.error !== undefined) report.error = body.error;
      if (body.retryable !== undefined) report.retryable = body.retryable;
      const now = this.d.clock.now();
      const leaseUntil = new Date(now + this.d.config.leaseSeconds * 1000);
      if (row.last_report && row.attempts === body.attempt && sameReport(row.last_report, report)) {
        // the same report again (a retry of the agent's outbox): the same answer
        if (row.status === 'running' && report.status === 'running') return taskRepo.markRunning(tx, row.id, new Date(now), leaseUntil, report);
        return row;
      }
      if (body.attempt !== row.attempts) throw conflict(`report for attempt ${body.attempt}, but task ${taskId} is at attempt ${row.attempts}`);
      if (FINAL_STATUSES.includes(row.status)) throw conflict(`task ${taskId} is already ${row.status}`);
      if (row.status === 'pending' && row.last_report && row.last_report.attempt === row.attempts && row.last_report.status !== 'running') {
        throw conflict(`attempt ${row.attempts} of task ${taskId} was already reported ${row.last_report.status}`);
      }
      this.d.metrics.taskEvents.inc({ type: row.type, event: `report_${report.status}` });
      if (report.status === 'running') return taskRepo.markRunning(tx, row.id, new Date(now), leaseUntil, report);
      if (report.status === 'succeeded') return taskRepo.finish(tx, row.id, { status: 'succeeded', now: new Date(now), result: report.result ?? {}, report });
      const error = report.error ?? 'failed (no reason given)';
      if (report.retryable !== false && row.attempts < row.max_attempts) {
        const at = now + retryDelayMs(row.attempts, this.d.config.retryBaseSeconds, this.d.config.retryMaxSeconds, this.random);
        const requeued = await taskRepo.requeue(tx, row.id, { now: new Date(now), notBefore: new Date(at), error, report });
        await tx.notify(TASKS_CHANNEL, `${hostId}\t${at}`);
        this.d.metrics.taskEvents.inc({ type: row.type, event: 'retry_scheduled' });
        return requeued;
      }
      const reason = report.retryable === false ? error : `${error} (attempt ${row.attempts} of ${row.max_attempts})`;
      return taskRepo.finish(tx, row.id, { status: 'failed', now: new Date(now), error: reason, report });
    });
  }

  /** An operator cancels a task that has not finished (idempotent on a cancelled one, 409 on a finished one). */
  async cancel(taskId: string, reason = 'cancelled by an operator'): Promise<TaskRow> {
    return this.d.db.transaction(async (tx) => {
      const row = await taskRepo.get(tx, taskId, true);
      if (!row) throw notFound(`task ${taskId}`);
      if (row.status === 'cancelled') return row;
      if (FINAL_STATUSES.includes(row.status)) throw conflict(`task ${taskId} is already ${row.status}`);
      this.d.metrics.taskEvents.inc({ type: row.type, event: 'cancelled' });
      return taskRepo.finish(tx, row.id, { status: 'cancelled', now: new Date(this.d.clock.now()), error: reason });
    });
  }

  private onNotification(payload: string): void {
    const tab = payload.indexOf('\t');
    if (tab < 0) {
      this.hints.notify(payload);
      this.waiters.wake(payload);
      return;
    }
    const host = payload.slice(0, tab);
    const at = Number(payload.slice(tab + 1));
    this.hints.notify(host, Number.isFinite(at) ? at : 0);
    if (Number.isFinite(at)) this.waiters.wakeAt(host, at);
    else this.waiters.wake(host);
  }
}
