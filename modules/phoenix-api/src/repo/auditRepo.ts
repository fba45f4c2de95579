import type { Queryable } from '../db/database';

/** One mutating operator call. */
export interface AuditEntry {
  at: Date;
  /** who: `token`, or `loopback:<address>` without a configured token */
  actor: string;
  method: string;
  /** the route template (`/api/v1/agents/:host_id/drain`) */
  route: string;
  /** the concrete path */
  path: string;
  /** sha256 of the JSON body (hex), null without a body */
  body_sha256: string | null;
  status: number;
  /** the error message, or `ok` */
  result: string;
}

/** All SQL of audit_log. */
export const auditRepo = {
  async insert(q: Queryable, e: AuditEntry): Promise<void> {
    await q.query('INSERT INTO audit_log (at, actor, method, route, path, body_sha256, status, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      e.at,
      e.actor,
      e.method,
      e.route,
      e.path,
      e.body_sha256,
      e.status,
      e.result,
    ]);
  },

  /** The newest entries first. */
  async recent(q: Queryable, limit: number): Promise<AuditEntry[]> {
    const { rows } = await q.query<AuditEntry>('SELECT at, actor, method, route, path, body_sha256, status, result FROM audit_log ORDER BY id DESC LIMIT $1', [limit]);
    return rows;
  },

  /** Drops entries older than `before`. */
  async prune(q: Queryable, before: Date): Promise<number> {
    return (await q.query('DELETE FROM audit_log WHERE at < $1', [before])).rowCount;
  },
};
