import { createLogLimiter, iso, type Clock, type Logger } from '@phoenix/runtime';
import type { Database } from '../db/database';
import { agentStatus, type IngestConfig } from '../ingest/config';
import type { TaskQueue } from '../queue/taskQueue';
import { agentRepo } from '../repo/agentRepo';
import { fleetRepo, type AllocationRow, type AllocationState } from '../repo/fleetRepo';
import { kpiRepo } from '../repo/kpiRepo';
import { Periodic } from '../periodic';
import type { ApiMetrics } from '../telemetry/metrics';
import { allocate, isSpike, levelsFromKpi, type Allocation, type HostInput, type HostPlan } from './allocation';
import type { FleetConfig } from './config';

export interface FleetControllerDeps {
  db: Database;
  queue: TaskQueue;
  config: FleetConfig;
  ingest: Pick<IngestConfig, 'staleAfterSeconds' | 'lostAfterSeconds'>;
  clock: Clock;
  log: Logger;
  metrics: ApiMetrics;
  isLeader: () => boolean;
}

export interface FleetRunResult {
  allocation: Allocation | undefined;
  /** hosts that got a new set_control task */
  sent: string[];
  state: AllocationState;
}

/** True when the plan differs from what the host last got: target by more than the threshold, or max_mode. */
export function allocationChanged(plan: HostPlan, last: AllocationRow | undefined, threshold: number): boolean {
  if (!last || last.sent_target === null || last.sent_max_mode === null) return true;
  if (last.sent_max_mode !== plan.max_mode) return true;
  return Math.abs(plan.target_series - last.sent_target) > threshold * last.sent_target;
}

/**
 * The fleet controller (leader only): every interval, the latest KPI sample of every healthy, non-drained
 * host → {@link allocate} → a set_control task (source fleet_controller, superseding a still-pending older
 * one) for each host whose allocation changed. Its state is stored (GET /api/v1/fleet) and exported as
 * `phoenix_fleet_*` metrics.
 */
export class FleetController {
  private readonly loop: Periodic;

  constructor(private readonly d: FleetControllerDeps) {
    const limited = createLogLimiter(d.log, { clock: d.clock, first: 3, intervalMs: 60_000 });
    this.loop = new Periodic(
      d.clock,
      d.config.intervalSeconds * 1000,
      async () => {
        if (d.isLeader()) await this.runOnce();
      },
      (err) => {
        d.metrics.fleetRuns.inc({ result: 'error' });
        limited.warn('run', 'fleet controller run failed', { err: (err as Error).message });
      },
    );
  }

  start(): void {
    if (this.d.config.enabled) this.loop.start();
  }

  stop(): void {
    this.loop.stop();
  }

  /** The budget in force: the one set through the API, else PHOENIX_FLEET_TARGET_SERIES. */
  async budget(): Promise<number> {
    return (await fleetRepo.budget(this.d.db))?.target_series ?? this.d.config.targetSeries;
  }

  /** One allocation (tests call it directly). */
  async runOnce(): Promise<FleetRunResult> {
    const started = Date.now();
    const now = this.d.clock.now();
    const budget = await this.budget();
    const agents = await agentRepo.list(this.d.db);
    const latest = new Map((await kpiRepo.latestPerHost(this.d.db, new Date(now - this.d.config.kpiMaxAgeSeconds * 1000))).map((k) => [k.host_id, k]));
    const history = new Map<string, number[]>();
    for (const r of await kpiRepo.fullFidelityHistory(this.d.db, new Date(now - this.d.config.spikeBaselineSeconds * 1000), new Date(now + 1))) {
      const list = history.get(r.host_id) ?? [];
      list.push(r.series);
      history.set(r.host_id, list);
    }
    const inputs: HostInput[] = [];
    for (const a of agents) {
      if (a.drained || agentStatus(a.last_heartbeat.getTime(), now, this.d.ingest) !== 'healthy') continue;
      const kpi = latest.get(a.host_id);
      const levels = kpi ? levelsFromKpi(kpi.sample) : [];
      if (levels.length === 0 && !a.pinned) continue;
      const baseline = (history.get(a.host_id) ?? []).slice(0, -1);
      const input: HostInput = { hostId: a.host_id, levels, spike: levels.length > 0 && isSpike(levels[0].series, baseline, this.d.config.spikeFactor) };
      if (a.pinned) input.pinned = { target_series: a.pinned.target_series, mode: a.pinned.mode };
      inputs.push(input);
    }
    this.d.metrics.fleetBudget.set(budget);
    if (inputs.length === 0) {
      const state: AllocationState = { feasible: true, planned_active_series: 0, hosts_considered: 0, budget, reason: 'no healthy, non-drained host with a fresh KPI sample', updated_at: iso(now) };
      await fleetRepo.setAllocationState(this.d.db, state, new Date(now));
      this.record(undefined, state, started, 'no_hosts');
      return { allocation: undefined, sent: [], state };
    }
    const allocation = allocate(budget, inputs);
    const sent: string[] = [];
    const state: AllocationState = {
      feasible: allocation.feasible,
      planned_active_series: allocation.planned_active_series,
      hosts_considered: inputs.length,
      budget,
      reason: allocation.reason,
      updated_at: iso(now),
    };
    await this.d.db.transaction(async (tx) => {
      const previous = new Map((await fleetRepo.allocations(tx)).map((r) => [r.host_id, r]));
      await fleetRepo.writeAllocations(
        tx,
        allocation.hosts.map((p) => ({ host_id: p.hostId, target_series: p.target_series, planned_mode: p.planned_mode, max_mode: p.max_mode, planned_series: p.planned_series, reason: p.reason })),
        new Date(now),
      );
      for (const plan of allocation.hosts) {
        if (!allocationChanged(plan, previous.get(plan.hostId), this.d.config.changeThreshold)) continue;
        const { task } = await this.d.queue.enqueue(
          {
            hostId: plan.hostId,
            type: 'set_control',
            config: { target_series: plan.target_series, max_mode: plan.max_mode, reason: plan.reason, source: 'fleet' },
            priority: this.d.config.taskPriority,
            deadlineSeconds: Math.max(60, Math.ceil(4 * this.d.config.intervalSeconds)),
            source: 'fleet_controller',
            supersede: true,
          },
          tx,
        );
        await fleetRepo.markSent(tx, plan.hostId, { target: plan.target_series, maxMode: plan.max_mode, taskId: task.id, now: new Date(now) });
        sent.push(plan.hostId);
      }
      await fleetRepo.setAllocationState(tx, state, new Date(now));
    });
    this.d.metrics.fleetTasksSent.inc(sent.length);
    this.record(allocation, state, started, allocation.feasible ? 'ok' : 'infeasible');
    if (sent.length > 0 || !allocation.feasible) this.d.log.info('fleet allocation', { budget, feasible: allocation.feasible, planned: allocation.planned_active_series, hosts: inputs.length, sent: sent.length });
    return { allocation, sent, state };
  }

  private record(a: Allocation | undefined, state: AllocationState, startedMs: number, result: string): void {
    const m = this.d.metrics;
    m.fleetRuns.inc({ result });
    m.fleetPlanned.set(state.planned_active_series);
    m.fleetFeasible.set(state.feasible ? 1 : 0);
    m.fleetHostsConsidered.set(state.hosts_considered);
    m.fleetHostTarget.reset();
    m.fleetHostPlanned.reset();
    m.fleetHostLevel.reset();
    m.fleetSpikes.set(a ? a.hosts.filter((h) => h.spike).length : 0);
    for (const h of a?.hosts ?? []) {
      m.fleetHostTarget.set({ host_id: h.hostId }, h.target_series);
      m.fleetHostPlanned.set({ host_id: h.hostId }, h.planned_series);
      m.fleetHostLevel.set({ host_id: h.hostId, mode: h.planned_mode }, h.level);
    }
    m.fleetRunSeconds.observe((Date.now() - startedMs) / 1000);
  }
}
