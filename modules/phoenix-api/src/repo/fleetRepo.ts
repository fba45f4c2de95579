import type { Queryable } from '../db/database';

export type Mode = 'conservative' | 'balanced' | 'aggressive';

/** A budget set through the API (wins over PHOENIX_FLEET_TARGET_SERIES). */
export interface StoredBudget {
  target_series: number;
  reason?: string;
  updated_at: Date;
  updated_by: string | null;
}

/** The outcome of the fleet controller's last run. */
export interface AllocationState {
  feasible: boolean;
  planned_active_series: number;
  hosts_considered: number;
  budget: number;
  reason: string;
  updated_at: string;
}

/** A host_allocations row. */
export interface AllocationRow {
  host_id: string;
  target_series: number;
  planned_mode: Mode;
  max_mode: Mode;
  planned_series: number;
  reason: string | null;
  updated_at: Date;
  sent_target: number | null;
  sent_max_mode: Mode | null;
  sent_task_id: string | null;
  sent_at: Date | null;
}

export interface AllocationWrite {
  host_id: string;
  target_series: number;
  planned_mode: Mode;
  max_mode: Mode;
  planned_series: number;
  reason: string;
}

/** All SQL of fleet_settings and host_allocations. */
export const fleetRepo = {
  async budget(q: Queryable): Promise<StoredBudget | undefined> {
    const { rows } = await q.query<{ value: { target_series: number; reason?: string }; updated_at: Date; updated_by: string | null }>(
      "SELECT value, updated_at, updated_by FROM fleet_settings WHERE key = 'budget'",
    );
    if (rows.length === 0) return undefined;
    return { ...rows[0].value, updated_at: rows[0].updated_at, updated_by: rows[0].updated_by };
  },

  async setBudget(q: Queryable, b: { target_series: number; reason?: string; now: Date; by: string }): Promise<void> {
    const value = b.reason === undefined ? { target_series: b.target_series } : { target_series: b.target_series, reason: b.reason };
    await q.query(
      `INSERT INTO fleet_settings (key, value, updated_at, updated_by) VALUES ('budget', $1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      [JSON.stringify(value), b.now, b.by],
    );
  },

  async allocationState(q: Queryable): Promise<AllocationState | undefined> {
    const { rows } = await q.query<{ value: AllocationState }>("SELECT value FROM fleet_settings WHERE key = 'allocation'");
    return rows[0]?.value;
  },

  async setAllocationState(q: Queryable, s: AllocationState, now: Date): Promise<void> {
    await q.query(
      `INSERT INTO fleet_settings (key, value, updated_at, updated_by) VALUES ('allocation', $1, $2, 'fleet_controller')
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(s), now],
    );
  },

  async allocations(q: Queryable): Promise<AllocationRow[]> {
    const { rows } = await q.query<AllocationRow>('SELECT * FROM host_allocations ORDER BY host_id');
    return rows;
  },

  async allocationOf(q: Queryable, hostId: string): Promise<AllocationRow | undefined> {
    const { rows } = await q.query<AllocationRow>('SELECT * FROM host_allocations WHERE host_id = $1', [hostId]);
    return rows[0];
  },

  /** Stores the plan of each host (what was last sent stays). */
  async writeAllocations(q: Queryable, plans: AllocationWrite[], now: Date): Promise<void> {
    if (plans.length === 0) return;
    await q.query(
      `INSERT INTO host_allocations (host_id, target_series, planned_mode, max_mode, planned_series, reason, updated_at)
       SELECT a.host_id, a.target_series, a.planned_mode, a.max_mode, a.planned_series, a.reason, $2
       FROM jsonb_to_recordset($1::jsonb) AS a(host_id text, target_series bigint, planned_mode text, max_mode text, planned_series bigint, reason text)
       ON CONFLICT (host_id) DO UPDATE SET target_series = EXCLUDED.target_series, planned_mode = EXCLUDED.planned_mode,
         max_mode = EXCLUDED.max_mode, planned_series = EXCLUDED.planned_series, reason = EXCLUDED.reason, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(plans), now],
    );
  },

  async markSent(q: Queryable, hostId: string, s: { target: number; maxMode: Mode; taskId: string; now: Date }): Promise<void> {
    await q.query('UPDATE host_allocations SET sent_target = $2, sent_max_mode = $3, sent_task_id = $4, sent_at = $5 WHERE host_id = $1', [
      hostId,
      s.target,
      s.maxMode,
      s.taskId,
      s.now,
    ]);
  },

  async deleteHost(q: Queryable, hostId: string): Promise<void> {
    await q.query('DELETE FROM host_allocations WHERE host_id = $1', [hostId]);
  },
};
