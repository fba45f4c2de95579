import path from 'node:path';
import { ConfigErrors, EnvReader, isLogLevel, MIN_API_TOKEN_LENGTH, withEnvNames, type Env, type LogLevel } from '@phoenix/runtime';
import { defaultApiHttpConfig, validateApiHttpConfig, type ApiHttpConfig } from './api/config';
import { defaultDatabaseConfig, validateDatabaseConfig, type DatabaseConfig } from './db/config';
import { defaultFleetConfig, validateFleetConfig, type FleetConfig } from './fleet/config';
import { defaultIngestConfig, validateIngestConfig, type IngestConfig } from './ingest/config';
import { defaultQueueConfig, validateQueueConfig, type QueueConfig } from './queue/config';

/** Everything phoenix-api needs, one section per component. */
export interface ApiServiceConfig {
  dataDir: string;
  logLevel: LogLevel;
  /** PHOENIX_AGENT_KEY: an enrollment key any host may use (ensured at start as key row `env`) */
  agentKey?: string;
  /** how often a replica that is not the leader tries the leader lock */
  leaderRetrySeconds: number;
  api: ApiHttpConfig;
  database: DatabaseConfig;
  queue: QueueConfig;
  ingest: IngestConfig;
  fleet: FleetConfig;
}

/** Config key → the environment variable that sets it (error messages and the README). */
export const ENV: Record<string, string> = {
  dataDir: 'PHOENIX_DATA_DIR',
  logLevel: 'PHOENIX_LOG_LEVEL',
  agentKey: 'PHOENIX_AGENT_KEY',
  leaderRetrySeconds: 'PHOENIX_LEADER_RETRY_SECONDS',
  'api.port': 'PHOENIX_API_PORT',
  'api.bindAddress': 'PHOENIX_BIND_ADDRESS',
  'api.token': 'PHOENIX_API_TOKEN',
  'api.allowInsecure': 'PHOENIX_ALLOW_INSECURE',
  'api.bodyLimitBytes': 'PHOENIX_API_BODY_LIMIT_BYTES',
  'api.rateLimitPerMinute': 'PHOENIX_API_RATE_LIMIT_PER_MINUTE',
  'api.agentRateLimitPerMinute': 'PHOENIX_API_AGENT_RATE_LIMIT_PER_MINUTE',
  'api.keyCacheSeconds': 'PHOENIX_API_KEY_CACHE_SECONDS',
  'database.url': 'PHOENIX_DATABASE_URL',
  'database.pgliteDir': 'PHOENIX_PGLITE_DIR',
  'database.poolMax': 'PHOENIX_DATABASE_POOL_MAX',
  'database.connectTimeoutSeconds': 'PHOENIX_DATABASE_CONNECT_TIMEOUT_SECONDS',
  'database.statementTimeoutSeconds': 'PHOENIX_DATABASE_STATEMENT_TIMEOUT_SECONDS',
  'database.idleTimeoutSeconds': 'PHOENIX_DATABASE_IDLE_TIMEOUT_SECONDS',
  'database.healthIntervalSeconds': 'PHOENIX_DATABASE_HEALTH_INTERVAL_SECONDS',
  'database.retryAfterSeconds': 'PHOENIX_DATABASE_RETRY_AFTER_SECONDS',
  'database.reconnectMaxSeconds': 'PHOENIX_DATABASE_RECONNECT_MAX_SECONDS',
  'queue.leaseSeconds': 'PHOENIX_TASK_LEASE_SECONDS',
  'queue.defaultMaxAttempts': 'PHOENIX_TASK_MAX_ATTEMPTS',
  'queue.defaultDeadlineSeconds': 'PHOENIX_TASK_DEADLINE_SECONDS',
  'queue.retryBaseSeconds': 'PHOENIX_TASK_RETRY_BASE_SECONDS',
  'queue.retryMaxSeconds': 'PHOENIX_TASK_RETRY_MAX_SECONDS',
  'queue.sweepIntervalSeconds': 'PHOENIX_QUEUE_SWEEP_INTERVAL_SECONDS',
  'queue.defaultWaitSeconds': 'PHOENIX_POLL_WAIT_SECONDS',
  'queue.maxWaitSeconds': 'PHOENIX_POLL_MAX_WAIT_SECONDS',
  'ingest.heartbeatIntervalSeconds': 'PHOENIX_HEARTBEAT_INTERVAL_SECONDS',
  'ingest.metricsIntervalSeconds': 'PHOENIX_METRICS_INTERVAL_SECONDS',
  'ingest.staleAfterSeconds': 'PHOENIX_AGENT_STALE_SECONDS',
  'ingest.lostAfterSeconds': 'PHOENIX_AGENT_LOST_SECONDS',
  'ingest.heartbeatBatchMs': 'PHOENIX_HEARTBEAT_BATCH_MS',
  'ingest.heartbeatBatchMax': 'PHOENIX_HEARTBEAT_BATCH_MAX',
  'ingest.kpiHistorySamples': 'PHOENIX_KPI_HISTORY_SAMPLES',
  'ingest.kpiHistorySeconds': 'PHOENIX_KPI_HISTORY_SECONDS',
  'ingest.logHistoryLines': 'PHOENIX_LOG_HISTORY_LINES',
  'fleet.targetSeries': 'PHOENIX_FLEET_TARGET_SERIES',
  'fleet.intervalSeconds': 'PHOENIX_FLEET_INTERVAL_SECONDS',
  'fleet.changeThreshold': 'PHOENIX_FLEET_CHANGE_THRESHOLD',
  'fleet.spikeFactor': 'PHOENIX_FLEET_SPIKE_FACTOR',
  'fleet.spikeBaselineSeconds': 'PHOENIX_FLEET_SPIKE_BASELINE_SECONDS',
  'fleet.kpiMaxAgeSeconds': 'PHOENIX_FLEET_KPI_MAX_AGE_SECONDS',
  'fleet.taskPriority': 'PHOENIX_FLEET_TASK_PRIORITY',
  'fleet.enabled': 'PHOENIX_FLEET_CONTROLLER_ENABLED',
};

/** Reads the environment (names in ENV and the README); errors name the variable or the config key and its variable. */
export function loadConfig(env: Env = process.env): { config: ApiServiceConfig; errors: string[] } {
  const r = new EnvReader(env);
  const dataDir = r.str('PHOENIX_DATA_DIR') ?? './data';
  const level = r.str('PHOENIX_LOG_LEVEL') ?? 'info';
  if (!isLogLevel(level)) r.errors.push(`PHOENIX_LOG_LEVEL: must be debug, info, warn or error (got ${JSON.stringify(level)})`);
  const d = defaultDatabaseConfig;
  const q = defaultQueueConfig;
  const i = defaultIngestConfig;
  const f = defaultFleetConfig;
  const a = defaultApiHttpConfig;
  const config: ApiServiceConfig = {
    dataDir,
    logLevel: isLogLevel(level) ? level : 'info',
    agentKey: r.str('PHOENIX_AGENT_KEY'),
    leaderRetrySeconds: r.seconds('PHOENIX_LEADER_RETRY_SECONDS', 5),
    api: {
      port: r.int('PHOENIX_API_PORT', a.port),
      bindAddress: r.str('PHOENIX_BIND_ADDRESS') ?? a.bindAddress,
      token: r.str('PHOENIX_API_TOKEN'),
      allowInsecure: r.bool('PHOENIX_ALLOW_INSECURE', a.allowInsecure),
      bodyLimitBytes: r.bytes('PHOENIX_API_BODY_LIMIT_BYTES', a.bodyLimitBytes),
      rateLimitPerMinute: r.int('PHOENIX_API_RATE_LIMIT_PER_MINUTE', a.rateLimitPerMinute),
      agentRateLimitPerMinute: r.int('PHOENIX_API_AGENT_RATE_LIMIT_PER_MINUTE', a.agentRateLimitPerMinute),
      keyCacheSeconds: r.seconds('PHOENIX_API_KEY_CACHE_SECONDS', a.keyCacheSeconds),
    },
    database: {
      url: r.str('PHOENIX_DATABASE_URL'),
      pgliteDir: r.str('PHOENIX_PGLITE_DIR') ?? path.join(dataDir, 'pglite'),
      poolMax: r.int('PHOENIX_DATABASE_POOL_MAX', d.poolMax),
      connectTimeoutSeconds: r.seconds('PHOENIX_DATABASE_CONNECT_TIMEOUT_SECONDS', d.connectTimeoutSeconds),
      statementTimeoutSeconds: r.seconds('PHOENIX_DATABASE_STATEMENT_TIMEOUT_SECONDS', d.statementTimeoutSeconds),
      idleTimeoutSeconds: r.seconds('PHOENIX_DATABASE_IDLE_TIMEOUT_SECONDS', d.idleTimeoutSeconds),
      healthIntervalSeconds: r.seconds('PHOENIX_DATABASE_HEALTH_INTERVAL_SECONDS', d.healthIntervalSeconds),
      retryAfterSeconds: r.int('PHOENIX_DATABASE_RETRY_AFTER_SECONDS', d.retryAfterSeconds),
      reconnectMaxSeconds: r.seconds('PHOENIX_DATABASE_RECONNECT_MAX_SECONDS', d.reconnectMaxSeconds),
    },
    queue: {
      leaseSeconds: r.seconds('PHOENIX_TASK_LEASE_SECONDS', q.leaseSeconds),
      defaultMaxAttempts: r.int('PHOENIX_TASK_MAX_ATTEMPTS', q.defaultMaxAttempts),
      defaultDeadlineSeconds: r.seconds('PHOENIX_TASK_DEADLINE_SECONDS', q.defaultDeadlineSeconds),
      retryBaseSeconds: r.seconds('PHOENIX_TASK_RETRY_BASE_SECONDS', q.retryBaseSeconds),
      retryMaxSeconds: r.seconds('PHOENIX_TASK_RETRY_MAX_SECONDS', q.retryMaxSeconds),
      sweepIntervalSeconds: r.seconds('PHOENIX_QUEUE_SWEEP_INTERVAL_SECONDS', q.sweepIntervalSeconds),
      defaultWaitSeconds: r.seconds('PHOENIX_POLL_WAIT_SECONDS', q.defaultWaitSeconds),
      maxWaitSeconds: r.seconds('PHOENIX_POLL_MAX_WAIT_SECONDS', q.maxWaitSeconds),
    },
    ingest: {
      heartbeatIntervalSeconds: r.seconds('PHOENIX_HEARTBEAT_INTERVAL_SECONDS', i.heartbeatIntervalSeconds),
      metricsIntervalSeconds: r.seconds('PHOENIX_METRICS_INTERVAL_SECONDS', i.metricsIntervalSeconds),
      staleAfterSeconds: r.seconds('PHOENIX_AGENT_STALE_SECONDS', i.staleAfterSeconds),
      lostAfterSeconds: r.seconds('PHOENIX_AGENT_LOST_SECONDS', i.lostAfterSeconds),
      heartbeatBatchMs: r.millis('PHOENIX_HEARTBEAT_BATCH_MS', i.heartbeatBatchMs),
      heartbeatBatchMax: r.int('PHOENIX_HEARTBEAT_BATCH_MAX', i.heartbeatBatchMax),
      kpiHistorySamples: r.int('PHOENIX_KPI_HISTORY_SAMPLES', i.kpiHistorySamples),
      kpiHistorySeconds: r.seconds('PHOENIX_KPI_HISTORY_SECONDS', i.kpiHistorySeconds),
      logHistoryLines: r.int('PHOENIX_LOG_HISTORY_LINES', i.logHistoryLines),
    },
    fleet: {
      targetSeries: r.int('PHOENIX_FLEET_TARGET_SERIES', f.targetSeries),
      intervalSeconds: r.seconds('PHOENIX_FLEET_INTERVAL_SECONDS', f.intervalSeconds),
      changeThreshold: r.num('PHOENIX_FLEET_CHANGE_THRESHOLD', f.changeThreshold),
      spikeFactor: r.num('PHOENIX_FLEET_SPIKE_FACTOR', f.spikeFactor),
      spikeBaselineSeconds: r.seconds('PHOENIX_FLEET_SPIKE_BASELINE_SECONDS', f.spikeBaselineSeconds),
      kpiMaxAgeSeconds: r.seconds('PHOENIX_FLEET_KPI_MAX_AGE_SECONDS', f.kpiMaxAgeSeconds),
      taskPriority: r.int('PHOENIX_FLEET_TASK_PRIORITY', f.taskPriority),
      enabled: r.bool('PHOENIX_FLEET_CONTROLLER_ENABLED', f.enabled),
    },
  };
  if (r.errors.length > 0) return { config, errors: r.errors };
  return { config, errors: validateConfig(config) };
}

/** Validates every section; each message starts with the config key, followed by its environment variable. */
export function validateConfig(c: ApiServiceConfig): string[] {
  const e = new ConfigErrors(ENV);
  if (c.agentKey !== undefined && c.agentKey.length < MIN_API_TOKEN_LENGTH) e.add('agentKey', `must be at least ${MIN_API_TOKEN_LENGTH} characters when set`);
  e.number('leaderRetrySeconds', c.leaderRetrySeconds, { min: 0.1, max: 3600 });
  e.nonEmpty('dataDir', c.dataDir);
  if (c.dataDir.includes('\0')) e.add('dataDir', 'must be a path (it contains a NUL byte)');
  e.addAll([
    ...validateApiHttpConfig(c.api),
    // a bad data dir is reported once, not again for the PGlite dir derived from it
    ...validateDatabaseConfig(c.database).filter((m) => !(c.dataDir.includes('\0') && m.startsWith('database.pgliteDir:'))),
    ...validateQueueConfig(c.queue),
    ...validateIngestConfig(c.ingest),
    ...validateFleetConfig(c.fleet),
  ]);
  return withEnvNames([...new Set(e.messages)], {});
}
