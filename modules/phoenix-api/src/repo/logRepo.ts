import type { LogLine } from '@phoenix/contracts';
import type { Queryable } from '../db/database';

/** All SQL of agent_logs: one row per (host, seq), the newest lines kept per host. */
export const logRepo = {
  /** Stores the lines a host sent; a (host, seq) already stored is a duplicate. Returns how many were new. */
  async insert(q: Queryable, hostId: string, lines: LogLine[]): Promise<number> {
    const records = lines.map((l) => ({ seq: l.seq, ts: l.ts, source: l.source, level: l.level, msg: l.msg, fields: l.fields ?? null }));
    const { rows } = await q.query<{ seq: number }>(
      `INSERT INTO agent_logs (host_id, seq, ts, source, level, msg, fields)
       SELECT $1, r.seq, r.ts, r.source, r.level, r.msg, r.fields
       FROM jsonb_to_recordset($2::jsonb) AS r(seq bigint, ts timestamptz, source text, level text, msg text, fields jsonb)
       ON CONFLICT (host_id, seq) DO NOTHING
       RETURNING seq`,
      [hostId, JSON.stringify(records)],
    );
    return rows.length;
  },

  /** Keeps the newest `keep` lines of the host. */
  async prune(q: Queryable, hostId: string, keep: number): Promise<number> {
    const r = await q.query(
      `DELETE FROM agent_logs WHERE host_id = $1 AND seq < (SELECT seq FROM agent_logs WHERE host_id = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1)`,
      [hostId, keep - 1],
    );
    return r.rowCount;
  },

  async lastSeq(q: Queryable, hostId: string): Promise<number | null> {
    const { rows } = await q.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM agent_logs WHERE host_id = $1', [hostId]);
    return rows[0]?.seq ?? null;
  },

  /** The newest `limit` lines of the host (of one source, if given), oldest first. */
  async read(q: Queryable, hostId: string, limit: number, source?: LogLine['source']): Promise<LogLine[]> {
    const { rows } = await q.query<{ seq: number; ts: Date; source: LogLine['source']; level: LogLine['level']; msg: string; fields: Record<string, unknown> | null }>(
      `SELECT * FROM (SELECT seq, ts, source, level, msg, fields FROM agent_logs WHERE host_id = $1 AND ($2::text IS NULL OR source = $2)
       ORDER BY seq DESC LIMIT $3) newest ORDER BY seq`,
      [hostId, source ?? null, limit],
    );
    return rows.map((r) => {
      const line: LogLine = { seq: r.seq, ts: r.ts.toISOString(), source: r.source, level: r.level, msg: r.msg };
      if (r.fields !== null) line.fields = r.fields;
      return line;
    });
  },

  async deleteHost(q: Queryable, hostId: string): Promise<void> {
    await q.query('DELETE FROM agent_logs WHERE host_id = $1', [hostId]);
  },
};
