import type { AgentTask } from '@phoenix/contracts';
import type { Queryable } from '../db/database';

export type TaskStatus = AgentTask['status'];
export type TaskType = AgentTask['type'];
export const OPEN_STATUSES: readonly TaskStatus[] = ['pending', 'claimed', 'running'];
export const FINAL_STATUSES: readonly TaskStatus[] = ['succeeded', 'failed', 'cancelled'];

/** The status report a task last accepted (a repeat of it gets the same answer). */
export interface StoredReport {
  attempt: number;
  status: 'running' | 'succeeded' | 'failed';
  result?: Record<string, unknown>;
  error?: string;
  retryable?: boolean;
}

/** An agent_tasks row as the database returns it. */
export interface TaskRow {
  id: string;
  host_id: string;
  type: TaskType;
  action: string | null;
  config: Record<string, unknown>;
  priority: number;
  status: TaskStatus;
  attempts: number;
  max_attempts: number;
  lease_until: Date | null;
  not_before: Date | null;
  deadline: Date | null;
  queued_at: Date;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  result: Record<string, unknown> | null;
  error: string | null;
  source: string | null;
  idempotency_key: string | null;
  last_report: StoredReport | null;
}

export interface NewTask {
  id: string;
  hostId: string;
  type: TaskType;
  action?: string;
  config: Record<string, unknown>;
  priority: number;
  maxAttempts: number;
  deadline: Date | null;
  source: string;
  idempotencyKey?: string;
  now: Date;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The contract shape (agent_task.schema.json) of a row. */
export function toAgentTask(r: TaskRow): AgentTask {
  return {
    id: r.id,
    host_id: r.host_id,
    type: r.type,
    action: r.action,
    config: r.config,
    priority: r.priority,
    status: r.status,
    attempts: r.attempts,
    max_attempts: r.max_attempts,
    lease_until: iso(r.lease_until),
    not_before: iso(r.not_before),
    deadline: iso(r.deadline),
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
    started_at: iso(r.started_at),
    finished_at: iso(r.finished_at),
    result: r.result,
    error: r.error,
    source: r.source,
  };
}

/** Claim order: priority first, then age, then id. */
export function claimOrder(a: TaskRow, b: TaskRow): number {
  return b.priority - a.priority || a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** All SQL of agent_tasks. Times are parameters (the service's clock), never now(). */
export const taskRepo = {
  /** Inserts a pending task; with an idempotency key already used for the host, returns that task instead. */
  async insert(q: Queryable, t: NewTask): Promise<{ task: TaskRow; created: boolean }> {
    const { rows } = await q.query<TaskRow>(
      `INSERT INTO agent_tasks (id, host_id, type, action, config, priority, status, attempts, max_attempts, deadline, queued_at, created_at, updated_at, source, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $8, $9, $9, $9, $10, $11)
       ON CONFLICT (host_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING *`,
      [t.id, t.hostId, t.type, t.action ?? null, JSON.stringify(t.config), t.priority, t.maxAttempts, t.deadline, t.now, t.source, t.idempotencyKey ?? null],
    );
    if (rows.length > 0) return { task: rows[0], created: true };
    const existing = await q.query<TaskRow>('SELECT * FROM agent_tasks WHERE host_id = $1 AND idempotency_key = $2', [t.hostId, t.idempotencyKey ?? null]);
    return { task: existing.rows[0], created: false };
  },

  /**
   * Claims up to `max` claimable tasks of the host (FOR UPDATE SKIP LOCKED: concurrent claimers never get the
   * same task): attempts + 1, leased until `leaseUntil`. A drained host gets nothing.
   */
  async claim(q: Queryable, hostId: string, max: number, now: Date, leaseUntil: Date): Promise<TaskRow[]> {
    const { rows } = await q.query<TaskRow>(
      // the candidates are picked once, in a CTE (a locking CTE is evaluated exactly once); an IN (subquery)
      // may be rescanned by the planner and hand out more than LIMIT rows
      `WITH picked AS (
         SELECT id FROM agent_tasks
         WHERE host_id = $1 AND status = 'pending' AND (not_before IS NULL OR not_before <= $2) AND (deadline IS NULL OR deadline > $2)
           AND NOT EXISTS (SELECT 1 FROM agent_status s WHERE s.host_id = $1 AND s.drained)
         ORDER BY priority DESC, created_at, id
         FOR UPDATE SKIP LOCKED
         LIMIT $4)
       UPDATE agent_tasks t SET status = 'claimed', attempts = t.attempts + 1, lease_until = $3, updated_at = $2, last_report = NULL
       FROM picked WHERE t.id = picked.id
       RETURNING t.*`,
      [hostId, now, leaseUntil, max],
    );
    return rows.sort(claimOrder);
  },

  async get(q: Queryable, id: string, forUpdate = false): Promise<TaskRow | undefined> {
    const { rows } = await q.query<TaskRow>(`SELECT * FROM agent_tasks WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0];
  },

  async list(q: Queryable, f: { hostId?: string; status?: TaskStatus; limit: number }): Promise<TaskRow[]> {
    const { rows } = await q.query<TaskRow>(
      `SELECT * FROM agent_tasks WHERE ($1::text IS NULL OR host_id = $1) AND ($2::text IS NULL OR status = $2)
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      [f.hostId ?? null, f.status ?? null, f.limit],
    );
    return rows;
  },

  /** A running report: running, lease extended (a pending task of the same attempt is taken back). */
  async markRunning(q: Queryable, id: string, now: Date, leaseUntil: Date, report: StoredReport): Promise<TaskRow> {
    const { rows } = await q.query<TaskRow>(
      `UPDATE agent_tasks SET status = 'running', lease_until = $3, started_at = COALESCE(started_at, $2), updated_at = $2, not_before = NULL, last_report = $4
       WHERE id = $1 RETURNING *`,
      [id, now, leaseUntil, JSON.stringify(report)],
    );
    return rows[0];
  },

  /** A final state (succeeded, failed, cancelled). */
  async finish(q: Queryable, id: string, f: { status: 'succeeded' | 'failed' | 'cancelled'; now: Date; result?: Record<string, unknown>; error?: string; report?: StoredReport }): Promise<TaskRow> {
    const { rows } = await q.query<TaskRow>(
      `UPDATE agent_tasks SET status = $2, finished_at = $3, updated_at = $3, lease_until = NULL, not_before = NULL,
         result = COALESCE($4, result), error = $5, last_report = COALESCE($6, last_report)
       WHERE id = $1 RETURNING *`,
      [id, f.status, f.now, f.result === undefined ? null : JSON.stringify(f.result), f.error ?? null, f.report ? JSON.stringify(f.report) : null],
    );
    return rows[0];
  },

  /** A failed attempt that may be retried: back to pending, claimable from `notBefore`. */
  async requeue(q: Queryable, id: string, f: { now: Date; notBefore: Date; error: string; report: StoredReport }): Promise<TaskRow> {
    const { rows } = await q.query<TaskRow>(
      `UPDATE agent_tasks SET status = 'pending', lease_until = NULL, not_before = $3, queued_at = $3, updated_at = $2, error = $4, last_report = $5
       WHERE id = $1 RETURNING *`,
      [id, f.now, f.notBefore, f.error, JSON.stringify(f.report)],
    );
    return rows[0];
  },

  /** Claimed or running tasks whose lease ran out: back to pending, or failed once the attempts are used up. */
  async expireLeases(q: Queryable, now: Date): Promise<Array<Pick<TaskRow, 'id' | 'host_id' | 'type' | 'status' | 'attempts'>>> {
    const { rows } = await q.query<Pick<TaskRow, 'id' | 'host_id' | 'type' | 'status' | 'attempts'>>(
      `UPDATE agent_tasks SET
         status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END,
         error = CASE WHEN attempts >= max_attempts THEN 'lease expired after ' || attempts || ' attempts' ELSE 'lease expired (attempt ' || attempts || ')' END,
         finished_at = CASE WHEN attempts >= max_attempts THEN $1 ELSE NULL END,
         queued_at = CASE WHEN attempts >= max_attempts THEN queued_at ELSE $1 END,
         lease_until = NULL, not_before = NULL, updated_at = $1
       WHERE status IN ('claimed', 'running') AND lease_until < $1
       RETURNING id, host_id, type, status, attempts`,
      [now],
    );
    return rows;
  },

  /** Open tasks past their deadline fail. */
  async failPastDeadline(q: Queryable, now: Date): Promise<Array<Pick<TaskRow, 'id' | 'host_id' | 'type'>>> {
    const { rows } = await q.query<Pick<TaskRow, 'id' | 'host_id' | 'type'>>(
      `UPDATE agent_tasks SET status = 'failed', error = 'deadline passed', finished_at = $1, updated_at = $1, lease_until = NULL, not_before = NULL
       WHERE status IN ('pending', 'claimed', 'running') AND deadline <= $1
       RETURNING id, host_id, type`,
      [now],
    );
    return rows;
  },

  /** Hosts with open tasks whose last heartbeat is `before` or older (lost). */
  async lostHostsWithOpenTasks(q: Queryable, before: Date): Promise<Array<{ host_id: string; last_heartbeat: Date }>> {
    const { rows } = await q.query<{ host_id: string; last_heartbeat: Date }>(
      `SELECT s.host_id, s.last_heartbeat FROM agent_status s
       WHERE s.last_heartbeat <= $1 AND EXISTS (SELECT 1 FROM agent_tasks t WHERE t.host_id = s.host_id AND t.status IN ('pending', 'claimed', 'running'))
       ORDER BY s.host_id`,
      [before],
    );
    return rows;
  },

  /** Fails every open task of a host with `error`. */
  async failOpenOfHost(q: Queryable, hostId: string, now: Date, error: string): Promise<Array<Pick<TaskRow, 'id' | 'type'>>> {
    const { rows } = await q.query<Pick<TaskRow, 'id' | 'type'>>(
      `UPDATE agent_tasks SET status = 'failed', error = $3, finished_at = $2, updated_at = $2, lease_until = NULL, not_before = NULL
       WHERE host_id = $1 AND status IN ('pending', 'claimed', 'running')
       RETURNING id, type`,
      [hostId, now, error],
    );
    return rows;
  },

  /** Cancels the still-pending tasks of a host of `type` and `source` other than `keepId`. */
  async supersedePending(q: Queryable, f: { hostId: string; type: TaskType; source: string; keepId: string; now: Date }): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>(
      `UPDATE agent_tasks SET status = 'cancelled', error = $5, finished_at = $4, updated_at = $4
       WHERE host_id = $1 AND type = $2 AND source = $3 AND status = 'pending' AND id <> $6
       RETURNING id`,
      [f.hostId, f.type, f.source, f.now, `superseded by ${f.keepId}`, f.keepId],
    );
    return rows.map((r) => r.id);
  },

  /** Tasks by type and status (for the gauges). */
  /** The hosts with pending tasks, each with when its earliest one becomes claimable (now when not deferred). */
  async pendingHosts(q: Queryable): Promise<Array<{ host_id: string; due: Date | null }>> {
    const { rows } = await q.query<{ host_id: string; due: Date | null }>(
      `SELECT host_id, CASE WHEN bool_or(not_before IS NULL) THEN NULL ELSE MIN(not_before) END AS due
         FROM agent_tasks WHERE status = 'pending' GROUP BY host_id`,
    );
    return rows;
  },

  async counts(q: Queryable): Promise<Array<{ type: TaskType; status: TaskStatus; n: number }>> {
    const { rows } = await q.query<{ type: TaskType; status: TaskStatus; n: number }>('SELECT type, status, count(*)::int AS n FROM agent_tasks GROUP BY type, status ORDER BY type, status');
    return rows;
  },
};
