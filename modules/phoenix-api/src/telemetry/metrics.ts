import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DatabaseHealth } from '../db/database';

/** What the gauges read at scrape time (bound once the components exist). */
export interface MetricSources {
  waiters: () => number;
  database: () => DatabaseHealth;
  leader: () => boolean;
}

/** Every metric of phoenix-api, registered on the registry passed in (never the global one). */
export interface ApiMetrics {
  taskEvents: Counter<'type' | 'event'>;
  tasks: Gauge<'type' | 'status'>;
  queueDepth: Gauge;
  pollWaits: Counter;
  dispatchSeconds: Histogram;
  heartbeats: Counter<'result'>;
  heartbeatBatchSize: Histogram;
  ingested: Counter<'kind' | 'result'>;
  agents: Gauge<'status'>;
  dbErrors: Counter<'kind'>;
  auditWrites: Counter<'result'>;
  fleetBudget: Gauge;
  fleetPlanned: Gauge;
  fleetFeasible: Gauge;
  fleetHostsConsidered: Gauge;
  fleetHostTarget: Gauge<'host_id'>;
  fleetHostPlanned: Gauge<'host_id'>;
  fleetHostLevel: Gauge<'host_id' | 'mode'>;
  fleetRuns: Counter<'result'>;
  fleetTasksSent: Counter;
  fleetSpikes: Gauge;
  fleetRunSeconds: Histogram;
  /** binds the scrape-time gauges (long-poll waiters, database, leader) */
  bind(sources: MetricSources): void;
}

export function createApiMetrics(registry: Registry): ApiMetrics {
  const registers = [registry];
  let sources: MetricSources | undefined;
  new Gauge({
    name: 'phoenix_api_long_poll_waiters',
    help: 'Long polls (GET /api/v1/agent/tasks) waiting for a task in this process.',
    registers,
    collect() {
      this.set(sources?.waiters() ?? 0);
    },
  });
  new Gauge({
    name: 'phoenix_api_db_up',
    help: '1 while the database answers, 0 while it does not.',
    registers,
    collect() {
      this.set(sources?.database().up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'phoenix_api_db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle, waiting clients, max).',
    labelNames: ['state'],
    registers,
    collect() {
      const pool = sources?.database().pool;
      if (!pool) return;
      for (const [state, v] of Object.entries(pool)) this.set({ state }, v);
    },
  });
  new Gauge({
    name: 'phoenix_api_leader',
    help: '1 while this replica holds the leader lock (runs the queue sweeps and the fleet controller).',
    registers,
    collect() {
      this.set(sources?.leader() ? 1 : 0);
    },
  });
  return {
    taskEvents: new Counter({ name: 'phoenix_api_task_events_total', help: 'Task queue events by task type (queued, claimed, report_*, retry_scheduled, lease_expired, deadline_failed, host_lost_failed, cancelled, superseded).', labelNames: ['type', 'event'], registers }),
    tasks: new Gauge({ name: 'phoenix_api_tasks', help: 'Tasks by type and status (refreshed by the leader every sweep).', labelNames: ['type', 'status'], registers }),
    queueDepth: new Gauge({ name: 'phoenix_api_queue_depth', help: 'Pending tasks (refreshed by the leader every sweep).', registers }),
    pollWaits: new Counter({ name: 'phoenix_api_long_poll_waits_total', help: 'Long polls that found nothing and waited.', registers }),
    dispatchSeconds: new Histogram({
      name: 'phoenix_api_task_dispatch_seconds',
      help: 'From a task becoming claimable (queued, retry due, lease expired) to its claim by the agent.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    heartbeats: new Counter({ name: 'phoenix_api_heartbeats_total', help: 'Heartbeats by result (stored, failed).', labelNames: ['result'], registers }),
    heartbeatBatchSize: new Histogram({ name: 'phoenix_api_heartbeat_batch_size', help: 'Heartbeats written per group commit.', buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000], registers }),
    ingested: new Counter({ name: 'phoenix_api_ingested_total', help: 'KPI samples and log lines received, by kind (kpi, log) and result (accepted, duplicate).', labelNames: ['kind', 'result'], registers }),
    agents: new Gauge({ name: 'phoenix_api_agents', help: 'Agents by status from their heartbeat age (refreshed by the leader every sweep).', labelNames: ['status'], registers }),
    dbErrors: new Counter({ name: 'phoenix_api_db_errors_total', help: 'Database failures answered with 503, by kind.', labelNames: ['kind'], registers }),
    auditWrites: new Counter({ name: 'phoenix_api_audit_writes_total', help: 'Audit log writes by result (written, failed).', labelNames: ['result'], registers }),
    fleetBudget: new Gauge({ name: 'phoenix_fleet_budget_series', help: 'The fleet series budget in force.', registers }),
    fleetPlanned: new Gauge({ name: 'phoenix_fleet_planned_series', help: 'Series the last allocation plans for the fleet (sum of the hosts\' planned levels and pins).', registers }),
    fleetFeasible: new Gauge({ name: 'phoenix_fleet_allocation_feasible', help: '1 when the budget can be met, 0 when even every host at its most lossy level exceeds it.', registers }),
    fleetHostsConsidered: new Gauge({ name: 'phoenix_fleet_hosts_considered', help: 'Healthy, non-drained hosts with a fresh KPI sample in the last allocation.', registers }),
    fleetHostTarget: new Gauge({ name: 'phoenix_fleet_host_target_series', help: 'Each host\'s target_series in the last allocation.', labelNames: ['host_id'], registers }),
    fleetHostPlanned: new Gauge({ name: 'phoenix_fleet_host_planned_series', help: 'Each host\'s planned series (its level) in the last allocation.', labelNames: ['host_id'], registers }),
    fleetHostLevel: new Gauge({ name: 'phoenix_fleet_host_level', help: 'Each host\'s level in the last allocation (0 = full fidelity), labelled with the mode of the level.', labelNames: ['host_id', 'mode'], registers }),
    fleetRuns: new Counter({ name: 'phoenix_fleet_controller_runs_total', help: 'Fleet controller runs by result (ok, infeasible, no_hosts, error).', labelNames: ['result'], registers }),
    fleetTasksSent: new Counter({ name: 'phoenix_fleet_set_control_tasks_total', help: 'set_control tasks the fleet controller queued (allocation changed).', registers }),
    fleetSpikes: new Gauge({ name: 'phoenix_fleet_hosts_with_spike', help: 'Hosts whose series spiked above their baseline in the last allocation.', registers }),
    fleetRunSeconds: new Histogram({ name: 'phoenix_fleet_controller_run_seconds', help: 'Duration of a fleet controller run.', buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15], registers }),
    bind(s) {
      sources = s;
    },
  };
}
