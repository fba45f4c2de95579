import fs from 'node:fs';
import path from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createLogger, LifecycleGuard, listenHttp, systemClock, type Clock, type HttpListener, type Lifecycle, type Logger } from '@phoenix/runtime';
import { KeyStore } from './auth/keyStore';
import type { ApiServiceConfig } from './config';
import type { Database } from './db/database';
import { loadMigrations, migrate } from './db/migrate';
import { openDatabase } from './db/openDatabase';
import { FleetController } from './fleet/fleetController';
import { LeaderLock } from './fleet/leaderLock';
import { HeartbeatBatcher } from './ingest/heartbeatBatcher';
import { TelemetryIngest } from './ingest/telemetryIngest';
import { Sweeper } from './queue/sweeper';
import { TaskQueue } from './queue/taskQueue';
import { createApp } from './routes/app';
import type { ApiContext } from './routes/context';
import { createApiMetrics, type ApiMetrics } from './telemetry/metrics';

export interface ApiServiceDeps {
  clock?: Clock;
  log?: Logger;
  /** jitter of task retries (tests) */
  random?: () => number;
  /** adds the Node.js process metrics to /metrics (default true) */
  processMetrics?: boolean;
}

/** The version in phoenix-api's package.json. */
export function apiVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * phoenix-api: the database (migrated), the task queue and its sweeper, agent keys, heartbeat group commit,
 * KPI and log ingest, the leader lock and the fleet controller, and the REST API on PHOENIX_API_PORT,
 * started and stopped as one. The constructor holds nothing: a stop without a start has nothing to release.
 */
export class ApiService implements Lifecycle {
  readonly registry = new Registry();
  readonly metrics: ApiMetrics;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly lifecycle: LifecycleGuard;
  private database: Database | undefined;
  private listener: HttpListener | undefined;
  private queueRef: TaskQueue | undefined;
  private fleetRef: FleetController | undefined;
  private stops: Array<() => Promise<void> | void> = [];

  constructor(
    readonly config: ApiServiceConfig,
    private readonly deps: ApiServiceDeps = {},
  ) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log ?? createLogger({ level: config.logLevel, fields: { service: 'phoenix-api' } });
    this.metrics = createApiMetrics(this.registry);
    if (deps.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.lifecycle = new LifecycleGuard('phoenix-api', () => this.doStart(), () => this.doStop());
  }

  /** The bound port (after start). */
  get port(): number {
    return this.listener?.port ?? 0;
  }

  /** The database (after start). */
  get db(): Database {
    if (!this.database) throw new Error('phoenix-api is not started');
    return this.database;
  }

  /** The task queue (after start). */
  get queue(): TaskQueue {
    if (!this.queueRef) throw new Error('phoenix-api is not started');
    return this.queueRef;
  }

  /** The fleet controller (after start). */
  get fleet(): FleetController {
    if (!this.fleetRef) throw new Error('phoenix-api is not started');
    return this.fleetRef;
  }

  start(): Promise<void> {
    return this.lifecycle.start();
  }

  stop(reason?: string): Promise<void> {
    return this.lifecycle.stop(reason);
  }

  private async doStart(): Promise<void> {
    const { config, clock } = this;
    const log = this.log;
    const startedAt = clock.now();
    const db = await openDatabase(config.database, { clock, log: log.child({ component: 'database' }) });
    this.database = db;
    this.stops.push(() => db.close());
    await migrate(db, loadMigrations(), clock, log.child({ component: 'migrations' }));
    const metrics = this.metrics;
    const queue = new TaskQueue({ db, config: config.queue, clock, log: log.child({ component: 'queue' }), metrics, random: this.deps.random });
    this.queueRef = queue;
    await queue.start();
    this.stops.push(() => queue.stop());
    const keys = new KeyStore({ db, clock, log: log.child({ component: 'keys' }), cacheMs: config.api.keyCacheSeconds * 1000, touchIntervalMs: 60_000 });
    await keys.start(config.agentKey);
    this.stops.push(() => keys.stop());
    const heartbeats = new HeartbeatBatcher({ db, config: config.ingest, clock, metrics });
    this.stops.push(() => heartbeats.drain());
    const leader = new LeaderLock({ db, clock, log: log.child({ component: 'leader' }), retryMs: config.leaderRetrySeconds * 1000 });
    await leader.start();
    this.stops.push(() => leader.stop());
    let availableSince = startedAt;
    this.stops.push(
      db.onHealthChange((h) => {
        if (h.up) availableSince = clock.now();
      }),
    );
    const sweeper = new Sweeper({
      db,
      config: config.queue,
      staleAfterSeconds: config.ingest.staleAfterSeconds,
      lostAfterSeconds: config.ingest.lostAfterSeconds,
      clock,
      log: log.child({ component: 'sweeper' }),
      metrics,
      isLeader: () => leader.isLeader(),
      availableSince: () => availableSince,
    });
    sweeper.start();
    this.stops.push(() => sweeper.stop());
    const fleet = new FleetController({ db, queue, config: config.fleet, ingest: config.ingest, clock, log: log.child({ component: 'fleet' }), metrics, isLeader: () => leader.isLeader() });
    this.fleetRef = fleet;
    fleet.start();
    this.stops.push(() => fleet.stop());
    metrics.bind({ waiters: () => queue.waiters.size, database: () => db.health(), leader: () => leader.isLeader() });
    metrics.fleetBudget.set(await fleet.budget());
    const ctx: ApiContext = {
      db,
      queue,
      keys,
      heartbeats,
      telemetry: new TelemetryIngest({ db, config: config.ingest, clock, metrics }),
      fleet,
      ingestConfig: config.ingest,
      queueConfig: config.queue,
      fleetConfig: config.fleet,
      clock,
      log: log.child({ component: 'api' }),
      metrics,
      registry: this.registry,
      isLeader: () => leader.isLeader(),
      token: config.api.token,
      startedAt,
      version: apiVersion(),
      retryAfterSeconds: config.database.retryAfterSeconds,
    };
    const listener = await listenHttp(createApp(ctx, config.api), { port: config.api.port, bindAddress: config.api.bindAddress });
    this.listener = listener;
    this.stops.push(() => listener.stop());
  }

  /** Stops in reverse order of start: HTTP first (waiting long polls are answered), the database last. */
  private async doStop(): Promise<void> {
    this.queueRef?.waiters.closeAll();
    const errors: string[] = [];
    for (const stop of this.stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    this.stops = [];
    if (errors.length > 0) throw new Error(`phoenix-api stop: ${errors.join('; ')}`);
  }
}
