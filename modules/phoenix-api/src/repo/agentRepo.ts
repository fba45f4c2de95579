import type { AgentHeartbeat } from '@phoenix/contracts';
import type { Queryable } from '../db/database';

/** A pin an operator set: the fleet controller leaves the host at this target (and mode). */
export interface Pin {
  target_series: number;
  mode?: 'conservative' | 'balanced' | 'aggressive';
  reason?: string;
  since: string;
}

/** An agent_status row as the database returns it (with its active pipelines). */
export interface AgentRow {
  host_id: string;
  kind: 'phoenix' | 'opamp';
  hostname: string;
  agent_version: string;
  capabilities: string[];
  active_tasks: string[];
  resource_usage: Record<string, unknown> | null;
  control: Record<string, unknown> | null;
  agent_started_at: Date | null;
  registered_at: Date;
  last_heartbeat: Date;
  heartbeats: number;
  drained: boolean;
  drained_reason: string | null;
  pinned: Pin | null;
  active_pipelines: Array<{ id: string; version?: number }>;
}

/** One heartbeat to store. */
export interface HeartbeatWrite {
  hostId: string;
  at: Date;
  body: AgentHeartbeat;
}

const SELECT_AGENT = `SELECT s.*, COALESCE((
    SELECT jsonb_agg(CASE WHEN p.version IS NULL THEN jsonb_build_object('id', p.pipeline_id) ELSE jsonb_build_object('id', p.pipeline_id, 'version', p.version) END ORDER BY p.pipeline_id)
    FROM active_pipelines p WHERE p.host_id = s.host_id), '[]'::jsonb) AS active_pipelines
  FROM agent_status s`;

/** All SQL of agent_status and active_pipelines. */
export const agentRepo = {
  /**
   * Stores a batch of heartbeats in the caller's transaction (group commit): one upsert statement for all
   * hosts, their active pipelines replaced. Returns, per host, whether it was new and whether it is drained.
   */
  async writeHeartbeats(q: Queryable, batch: HeartbeatWrite[]): Promise<Map<string, { registered: boolean; drained: boolean }>> {
    const hostIds = batch.map((h) => h.hostId);
    const existing = await q.query<{ host_id: string }>('SELECT host_id FROM agent_status WHERE host_id = ANY($1::text[])', [hostIds]);
    const known = new Set(existing.rows.map((r) => r.host_id));
    const records = batch.map((h) => ({
      host_id: h.hostId,
      hostname: h.body.hostname,
      agent_version: h.body.agent_version,
      capabilities: h.body.capabilities,
      active_tasks: h.body.active_tasks,
      resource_usage: h.body.resource_usage,
      control: h.body.control ?? null,
      agent_started_at: h.body.started_at,
      at: h.at.toISOString(),
    }));
    const { rows } = await q.query<{ host_id: string; drained: boolean }>(
      `INSERT INTO agent_status (host_id, hostname, agent_version, capabilities, active_tasks, resource_usage, control, agent_started_at, registered_at, last_heartbeat, heartbeats)
       SELECT h.host_id, h.hostname, h.agent_version, h.capabilities, h.active_tasks, h.resource_usage, h.control, h.agent_started_at, h.at, h.at, 1
       FROM jsonb_to_recordset($1::jsonb) AS h(host_id text, hostname text, agent_version text, capabilities jsonb, active_tasks jsonb,
                                               resource_usage jsonb, control jsonb, agent_started_at timestamptz, at timestamptz)
       ON CONFLICT (host_id) DO UPDATE SET hostname = EXCLUDED.hostname, agent_version = EXCLUDED.agent_version,
         capabilities = EXCLUDED.capabilities, active_tasks = EXCLUDED.active_tasks, resource_usage = EXCLUDED.resource_usage,
         control = EXCLUDED.control, agent_started_at = EXCLUDED.agent_started_at,
         last_heartbeat = GREATEST(agent_status.last_heartbeat, EXCLUDED.last_heartbeat), heartbeats = agent_status.heartbeats + 1
       RETURNING host_id, drained`,
      [JSON.stringify(records)],
    );
    const pipelines = batch.flatMap((h) =>
      h.body.active_pipelines.map((p) => ({ host_id: h.hostId, pipeline_id: p.id, version: p.version ?? null, updated_at: h.at.toISOString() })),
    );
    await q.query('DELETE FROM active_pipelines WHERE host_id = ANY($1::text[])', [hostIds]);
    if (pipelines.length > 0) {
      await q.query(
        `INSERT INTO active_pipelines (host_id, pipeline_id, version, updated_at)
         SELECT p.host_id, p.pipeline_id, p.version, p.updated_at FROM jsonb_to_recordset($1::jsonb) AS p(host_id text, pipeline_id text, version integer, updated_at timestamptz)
         ON CONFLICT (host_id, pipeline_id) DO NOTHING`,
        [JSON.stringify(pipelines)],
      );
    }
    return new Map(rows.map((r) => [r.host_id, { registered: !known.has(r.host_id), drained: r.drained }]));
  },

  async get(q: Queryable, hostId: string): Promise<AgentRow | undefined> {
    const { rows } = await q.query<AgentRow>(`${SELECT_AGENT} WHERE s.host_id = $1`, [hostId]);
    return rows[0];
  },

  async list(q: Queryable): Promise<AgentRow[]> {
    const { rows } = await q.query<AgentRow>(`${SELECT_AGENT} ORDER BY s.host_id`);
    return rows;
  },

  /** True when the host exists. */
  async setDrained(q: Queryable, hostId: string, drained: boolean, reason: string | null): Promise<boolean> {
    const r = await q.query('UPDATE agent_status SET drained = $2, drained_reason = $3 WHERE host_id = $1', [hostId, drained, drained ? reason : null]);
    return r.rowCount > 0;
  },

  /** Sets (or with null clears) the pin; true when the host exists. */
  async setPin(q: Queryable, hostId: string, pin: Pin | null): Promise<boolean> {
    const r = await q.query('UPDATE agent_status SET pinned = $2 WHERE host_id = $1', [hostId, pin === null ? null : JSON.stringify(pin)]);
    return r.rowCount > 0;
  },

  /** Deletes the host (its pipelines go with it); true when it existed. */
  async delete(q: Queryable, hostId: string): Promise<boolean> {
    const r = await q.query('DELETE FROM agent_status WHERE host_id = $1', [hostId]);
    return r.rowCount > 0;
  },

  /** Hosts by heartbeat age (for the gauges): a heartbeat after `staleBefore` is healthy, after `lostBefore` stale, else lost. */
  async countByStatus(q: Queryable, staleBefore: Date, lostBefore: Date): Promise<{ healthy: number; stale: number; lost: number }> {
    const { rows } = await q.query<{ healthy: number; stale: number; lost: number }>(
      `SELECT count(*) FILTER (WHERE last_heartbeat > $1)::int AS healthy,
              count(*) FILTER (WHERE last_heartbeat <= $1 AND last_heartbeat > $2)::int AS stale,
              count(*) FILTER (WHERE last_heartbeat <= $2)::int AS lost
       FROM agent_status`,
      [staleBefore, lostBefore],
    );
    return rows[0];
  },
};
