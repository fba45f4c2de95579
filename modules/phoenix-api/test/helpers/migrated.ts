import { ManualClock, silentLogger, systemClock } from '@phoenix/runtime';
import { Registry } from 'prom-client';
import type { Database } from '../../src/db/database';
import { loadMigrations, migrate } from '../../src/db/migrate';
import { defaultQueueConfig, type QueueConfig } from '../../src/queue/config';
import { TaskQueue } from '../../src/queue/taskQueue';
import { createApiMetrics, type ApiMetrics } from '../../src/telemetry/metrics';
import type { DbHarness } from './dbHarness';

/** Opens the suite's database and applies the shipped migrations. */
export async function openMigrated(h: DbHarness): Promise<Database> {
  const db = await h.open();
  await migrate(db, loadMigrations(), systemClock, silentLogger());
  return db;
}

/** Empties every table (between tests of one suite). */
export async function truncateAll(db: Database): Promise<void> {
  await db.query('TRUNCATE agent_status, active_pipelines, agent_tasks, fleet_settings, host_allocations, metrics_cache, agent_logs, api_keys, audit_log');
}

export interface QueueFixture {
  db: Database;
  clock: ManualClock;
  metrics: ApiMetrics;
  registry: Registry;
  queue: TaskQueue;
  config: QueueConfig;
}

/** A TaskQueue on a migrated database with a ManualClock (jitter fixed at 0.5). */
export async function queueFixture(db: Database, config: Partial<QueueConfig> = {}): Promise<QueueFixture> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const registry = new Registry();
  const metrics = createApiMetrics(registry);
  const full = { ...defaultQueueConfig, ...config };
  const queue = new TaskQueue({ db, config: full, clock, log: silentLogger(), metrics, random: () => 0.5 });
  await queue.start();
  return { db, clock, metrics, registry, queue, config: full };
}

/** Registers a host (a heartbeat row) so that tasks can be claimed and hosts drained. */
export async function addHost(db: Database, hostId: string, at: Date, drained = false): Promise<void> {
  await db.query(
    `INSERT INTO agent_status (host_id, hostname, agent_version, registered_at, last_heartbeat, drained) VALUES ($1, $1, 'test', $2, $2, $3)
     ON CONFLICT (host_id) DO UPDATE SET last_heartbeat = EXCLUDED.last_heartbeat, drained = EXCLUDED.drained`,
    [hostId, at, drained],
  );
}
