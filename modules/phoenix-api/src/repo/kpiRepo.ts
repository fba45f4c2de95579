import type { KpiSample } from '@phoenix/contracts';
import type { Queryable } from '../db/database';

/** The newest KPI sample of a host. */
export interface LatestKpi {
  host_id: string;
  seq: number;
  observed_at: Date;
  sample: KpiSample;
}

/** All SQL of metrics_cache: one row per (host, seq), bounded per host. */
export const kpiRepo = {
  /** Stores the samples a host sent; a (host, seq) already stored is a duplicate. Returns how many were new. */
  async insert(q: Queryable, hostId: string, samples: KpiSample[], receivedAt: Date): Promise<number> {
    const records = samples.map((s) => ({ seq: s.seq, observed_at: s.observed_at, sample: s }));
    const { rows } = await q.query<{ seq: number }>(
      `INSERT INTO metrics_cache (host_id, seq, observed_at, received_at, sample)
       SELECT $1, r.seq, r.observed_at, $2, r.sample FROM jsonb_to_recordset($3::jsonb) AS r(seq bigint, observed_at timestamptz, sample jsonb)
       ON CONFLICT (host_id, seq) DO NOTHING
       RETURNING seq`,
      [hostId, receivedAt, JSON.stringify(records)],
    );
    return rows.length;
  },

  /** Keeps the newest `keep` samples of the host observed after `notBefore`. */
  async prune(q: Queryable, hostId: string, keep: number, notBefore: Date): Promise<number> {
    const r = await q.query(
      `DELETE FROM metrics_cache WHERE host_id = $1 AND (observed_at < $2 OR seq < (
         SELECT seq FROM metrics_cache WHERE host_id = $1 ORDER BY seq DESC OFFSET $3 LIMIT 1))`,
      [hostId, notBefore, keep - 1],
    );
    return r.rowCount;
  },

  async lastSeq(q: Queryable, hostId: string): Promise<number | null> {
    const { rows } = await q.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM metrics_cache WHERE host_id = $1', [hostId]);
    return rows[0]?.seq ?? null;
  },

  /** The newest sample of every registered host, when observed at `notBefore` or later (one index probe per host). */
  async latestPerHost(q: Queryable, notBefore: Date): Promise<LatestKpi[]> {
    const { rows } = await q.query<LatestKpi>(
      `SELECT s.host_id, m.seq, m.observed_at, m.sample FROM agent_status s
       CROSS JOIN LATERAL (SELECT seq, observed_at, sample FROM metrics_cache c WHERE c.host_id = s.host_id ORDER BY seq DESC LIMIT 1) m
       WHERE m.observed_at >= $1 ORDER BY s.host_id`,
      [notBefore],
    );
    return rows;
  },

  /** The newest sample of one host. */
  async latestOf(q: Queryable, hostId: string): Promise<LatestKpi | undefined> {
    const { rows } = await q.query<LatestKpi>('SELECT host_id, seq, observed_at, sample FROM metrics_cache WHERE host_id = $1 ORDER BY seq DESC LIMIT 1', [hostId]);
    return rows[0];
  },

  /** The full_fidelity series of the host's samples observed in [from, to), oldest first (spike baselines). */
  async fullFidelityHistory(q: Queryable, from: Date, to: Date): Promise<Array<{ host_id: string; series: number }>> {
    const { rows } = await q.query<{ host_id: string; series: number }>(
      `SELECT host_id, (sample->'series'->>'full_fidelity')::float8 AS series FROM metrics_cache
       WHERE observed_at >= $1 AND observed_at < $2 AND sample->'series' ? 'full_fidelity'
       ORDER BY host_id, seq`,
      [from, to],
    );
    return rows;
  },

  async deleteHost(q: Queryable, hostId: string): Promise<void> {
    await q.query('DELETE FROM metrics_cache WHERE host_id = $1', [hostId]);
  },

  async count(q: Queryable, hostId: string): Promise<number> {
    const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM metrics_cache WHERE host_id = $1', [hostId]);
    return rows[0].n;
  },
};
