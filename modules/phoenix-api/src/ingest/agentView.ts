import type { ApiAgent, HostAllocation, KpiSample } from '@phoenix/contracts';
import type { AgentRow } from '../repo/agentRepo';
import type { AllocationRow } from '../repo/fleetRepo';
import { agentStatus, type IngestConfig } from './config';

/** The contract shape of a host allocation row. */
export function toHostAllocation(r: AllocationRow | undefined): HostAllocation | null {
  if (!r) return null;
  const out: HostAllocation = { target_series: r.target_series, planned_mode: r.planned_mode, max_mode: r.max_mode, planned_series: r.planned_series, updated_at: r.updated_at.toISOString() };
  if (r.reason !== null) out.reason = r.reason;
  return out;
}

/** One agent as operators see it (api_agent.schema.json). */
export function toApiAgent(a: AgentRow, nowMs: number, c: Pick<IngestConfig, 'staleAfterSeconds' | 'lostAfterSeconds'>, allocation?: AllocationRow, kpis?: KpiSample): ApiAgent {
  const out: ApiAgent = {
    host_id: a.host_id,
    kind: a.kind,
    hostname: a.hostname,
    agent_version: a.agent_version,
    status: agentStatus(a.last_heartbeat.getTime(), nowMs, c),
    capabilities: a.capabilities,
    active_tasks: a.active_tasks,
    active_pipelines: a.active_pipelines,
    resource_usage: a.resource_usage,
    control: a.control,
    last_heartbeat: a.last_heartbeat.toISOString(),
    registered_at: a.registered_at.toISOString(),
    agent_started_at: a.agent_started_at ? a.agent_started_at.toISOString() : null,
    heartbeat_age_seconds: Math.max(0, (nowMs - a.last_heartbeat.getTime()) / 1000),
    drained: a.drained,
    pinned: a.pinned,
    allocation: toHostAllocation(allocation),
    kpis: (kpis as Record<string, unknown> | undefined) ?? null,
  };
  return out;
}
