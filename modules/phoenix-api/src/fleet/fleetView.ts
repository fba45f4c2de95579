import type { ApiFleet } from '@phoenix/contracts';
import type { Queryable } from '../db/database';
import { toHostAllocation } from '../ingest/agentView';
import { agentStatus, type IngestConfig } from '../ingest/config';
import { agentRepo } from '../repo/agentRepo';
import { fleetRepo } from '../repo/fleetRepo';
import { kpiRepo } from '../repo/kpiRepo';
import type { FleetConfig } from './config';

type Series = NonNullable<ApiFleet['series']>;
const PIPELINES = ['full_fidelity', 'optimized', 'experimental_topk'] as const;

/** GET /api/v1/fleet: series per pipeline and per host (hosts with a fresh KPI sample), budget, allocation. */
export async function fleetView(q: Queryable, nowMs: number, fleet: FleetConfig, ingest: Pick<IngestConfig, 'staleAfterSeconds' | 'lostAfterSeconds'>): Promise<ApiFleet> {
  const [stored, state, agents, allocations, latest] = await Promise.all([
    fleetRepo.budget(q),
    fleetRepo.allocationState(q),
    agentRepo.list(q),
    fleetRepo.allocations(q),
    kpiRepo.latestPerHost(q, new Date(nowMs - fleet.kpiMaxAgeSeconds * 1000)),
  ]);
  const allocationOf = new Map(allocations.map((a) => [a.host_id, a]));
  const kpiOf = new Map(latest.map((k) => [k.host_id, k]));
  const series: Series = { full_fidelity: 0, optimized: 0, experimental_topk: 0 };
  let active = 0;
  const hosts: ApiFleet['hosts'] = agents.map((a) => {
    const k = kpiOf.get(a.host_id);
    const host: ApiFleet['hosts'][number] = {
      host_id: a.host_id,
      status: agentStatus(a.last_heartbeat.getTime(), nowMs, ingest),
      allocation: toHostAllocation(allocationOf.get(a.host_id)),
      drained: a.drained,
      pinned: a.pinned !== null,
      kpis_at: k ? k.observed_at.toISOString() : null,
    };
    if (k) {
      host.series = {};
      for (const p of PIPELINES) {
        const v = k.sample.series[p];
        if (v === undefined) continue;
        host.series[p] = v;
        series[p] = (series[p] ?? 0) + v;
      }
      if (k.sample.mode) host.mode = k.sample.mode;
      if (k.sample.active_series !== undefined) {
        host.active_series = k.sample.active_series;
        active += k.sample.active_series;
      }
    }
    return host;
  });
  const budget: ApiFleet['budget'] = stored
    ? { target_series: stored.target_series, updated_at: stored.updated_at.toISOString(), updated_by: stored.updated_by, source: 'api' }
    : { target_series: fleet.targetSeries, updated_at: null, updated_by: null, source: 'env' };
  const allocation: ApiFleet['allocation'] = state
    ? { feasible: state.feasible, planned_active_series: state.planned_active_series, updated_at: state.updated_at, hosts_considered: state.hosts_considered, reason: state.reason }
    : { feasible: true, planned_active_series: 0, updated_at: null, hosts_considered: 0, reason: 'the fleet controller has not run yet' };
  return { budget, series, active_series: active, hosts, allocation };
}
