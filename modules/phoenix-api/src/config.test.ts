import path from 'node:path';
import { ENV, loadConfig } from './config';

/** A value each variable refuses (does not parse, or fails its range check). */
const BAD: Record<string, string> = {
  PHOENIX_DATA_DIR: '/srv/\0x',
  PHOENIX_LOG_LEVEL: 'loud',
  PHOENIX_AGENT_KEY: 'short',
  PHOENIX_LEADER_RETRY_SECONDS: 'soon',
  PHOENIX_API_PORT: '70000',
  PHOENIX_BIND_ADDRESS: '0.0.0.0',
  PHOENIX_API_TOKEN: 'short',
  PHOENIX_ALLOW_INSECURE: 'maybe',
  PHOENIX_API_BODY_LIMIT_BYTES: '10',
  PHOENIX_API_RATE_LIMIT_PER_MINUTE: '0',
  PHOENIX_API_AGENT_RATE_LIMIT_PER_MINUTE: '1.5',
  PHOENIX_API_KEY_CACHE_SECONDS: '10',
  PHOENIX_DATABASE_URL: 'mysql://db/x',
  PHOENIX_PGLITE_DIR: '/srv/\0x',
  PHOENIX_DATABASE_POOL_MAX: '0',
  PHOENIX_DATABASE_CONNECT_TIMEOUT_SECONDS: 'never',
  PHOENIX_DATABASE_STATEMENT_TIMEOUT_SECONDS: '0',
  PHOENIX_DATABASE_IDLE_TIMEOUT_SECONDS: '0.5',
  PHOENIX_DATABASE_HEALTH_INTERVAL_SECONDS: '2h',
  PHOENIX_DATABASE_RETRY_AFTER_SECONDS: '0',
  PHOENIX_DATABASE_RECONNECT_MAX_SECONDS: '-1',
  PHOENIX_TASK_LEASE_SECONDS: '0',
  PHOENIX_TASK_MAX_ATTEMPTS: '101',
  PHOENIX_TASK_DEADLINE_SECONDS: '8d',
  PHOENIX_TASK_RETRY_BASE_SECONDS: '0',
  PHOENIX_TASK_RETRY_MAX_SECONDS: '1',
  PHOENIX_QUEUE_SWEEP_INTERVAL_SECONDS: '10ms',
  PHOENIX_POLL_WAIT_SECONDS: '61',
  PHOENIX_POLL_MAX_WAIT_SECONDS: '2m',
  PHOENIX_HEARTBEAT_INTERVAL_SECONDS: '0',
  PHOENIX_METRICS_INTERVAL_SECONDS: 'x',
  PHOENIX_AGENT_STALE_SECONDS: '5',
  PHOENIX_AGENT_LOST_SECONDS: '30',
  PHOENIX_HEARTBEAT_BATCH_MS: '2s',
  PHOENIX_HEARTBEAT_BATCH_MAX: '0',
  PHOENIX_KPI_HISTORY_SAMPLES: '0',
  PHOENIX_KPI_HISTORY_SECONDS: '10',
  PHOENIX_LOG_HISTORY_LINES: 'many',
  PHOENIX_FLEET_TARGET_SERIES: '0',
  PHOENIX_FLEET_INTERVAL_SECONDS: '0',
  PHOENIX_FLEET_CHANGE_THRESHOLD: '2',
  PHOENIX_FLEET_SPIKE_FACTOR: '1',
  PHOENIX_FLEET_SPIKE_BASELINE_SECONDS: '0',
  PHOENIX_FLEET_KPI_MAX_AGE_SECONDS: '0',
  PHOENIX_FLEET_TASK_PRIORITY: '5000',
  PHOENIX_FLEET_CONTROLLER_ENABLED: 'sometimes',
};

describe('loadConfig (environment → config)', () => {
  it('defaults', () => {
    const { config, errors } = loadConfig({});
    expect(errors).toEqual([]);
    expect(config).toEqual({
      dataDir: './data',
      logLevel: 'info',
      agentKey: undefined,
      leaderRetrySeconds: 5,
      api: { port: 8084, bindAddress: '127.0.0.1', token: undefined, allowInsecure: false, bodyLimitBytes: 4194304, rateLimitPerMinute: 120, agentRateLimitPerMinute: 600, keyCacheSeconds: 2 },
      database: {
        url: undefined,
        pgliteDir: path.join('./data', 'pglite'),
        poolMax: 10,
        connectTimeoutSeconds: 3,
        statementTimeoutSeconds: 10,
        idleTimeoutSeconds: 30,
        healthIntervalSeconds: 2,
        retryAfterSeconds: 5,
        reconnectMaxSeconds: 5,
      },
      queue: { leaseSeconds: 60, defaultMaxAttempts: 3, defaultDeadlineSeconds: 3600, retryBaseSeconds: 2, retryMaxSeconds: 300, sweepIntervalSeconds: 2, defaultWaitSeconds: 30, maxWaitSeconds: 60 },
      ingest: {
        heartbeatIntervalSeconds: 10,
        metricsIntervalSeconds: 10,
        staleAfterSeconds: 30,
        lostAfterSeconds: 120,
        heartbeatBatchMs: 5,
        heartbeatBatchMax: 500,
        kpiHistorySamples: 1000,
        kpiHistorySeconds: 86400,
        logHistoryLines: 5000,
      },
      fleet: { targetSeries: 100000, intervalSeconds: 15, changeThreshold: 0.05, spikeFactor: 1.5, spikeBaselineSeconds: 600, kpiMaxAgeSeconds: 60, taskPriority: 10, enabled: true },
    });
  });

  it('reads the variables, durations with units', () => {
    const { config, errors } = loadConfig({
      PHOENIX_DATA_DIR: '/srv/phoenix',
      PHOENIX_DATABASE_URL: 'postgresql://phoenix@db:5432/phoenix',
      PHOENIX_API_TOKEN: 'a-long-enough-token-1234',
      PHOENIX_BIND_ADDRESS: '0.0.0.0',
      PHOENIX_AGENT_KEY: 'enrollment-key-0123456789',
      PHOENIX_TASK_LEASE_SECONDS: '2m',
      PHOENIX_HEARTBEAT_BATCH_MS: '20',
      PHOENIX_FLEET_TARGET_SERIES: '250000',
      PHOENIX_POLL_WAIT_SECONDS: '20s',
    });
    expect(errors).toEqual([]);
    expect(config.database).toMatchObject({ url: 'postgresql://phoenix@db:5432/phoenix', pgliteDir: path.join('/srv/phoenix', 'pglite') });
    expect(config.api).toMatchObject({ bindAddress: '0.0.0.0', token: 'a-long-enough-token-1234' });
    expect(config.agentKey).toBe('enrollment-key-0123456789');
    expect(config.queue).toMatchObject({ leaseSeconds: 120, defaultWaitSeconds: 20 });
    expect(config.ingest.heartbeatBatchMs).toBe(20);
    expect(config.fleet.targetSeries).toBe(250000);
  });

  it('every config key has a PHOENIX_ variable, and a bad value of each is refused with a message naming it', () => {
    expect(Object.keys(BAD).sort()).toEqual([...new Set(Object.values(ENV))].sort());
    for (const [key, variable] of Object.entries(ENV)) {
      const { errors } = loadConfig({ [variable]: BAD[variable] });
      expect({ variable, errors: errors.length > 0 }).toEqual({ variable, errors: true });
      for (const e of errors) expect({ variable, e, named: e.startsWith(`${variable}:`) || e.includes(`(${variable}):`) }).toEqual({ variable, e, named: true });
      if (errors.every((e) => !e.startsWith(`${variable}:`))) expect({ key, found: errors.some((e) => e.startsWith(`${key} (${variable}):`)) }).toEqual({ key, found: true });
    }
  });

  it('exact messages: parse errors name the variable, range errors the key and the variable', () => {
    expect(loadConfig({ PHOENIX_ALLOW_INSECURE: 'maybe' }).errors).toEqual(['PHOENIX_ALLOW_INSECURE: must be true or false (1/0, yes/no, on/off; got "maybe")']);
    expect(loadConfig({ PHOENIX_TASK_LEASE_SECONDS: 'soon' }).errors).toEqual(['PHOENIX_TASK_LEASE_SECONDS: must be a duration such as 30, 500ms, 2m (got "soon")']);
    expect(loadConfig({ PHOENIX_AGENT_KEY: 'short' }).errors).toEqual(['agentKey (PHOENIX_AGENT_KEY): must be at least 16 characters when set']);
    expect(loadConfig({ PHOENIX_DATABASE_URL: 'mysql://db/x' }).errors).toEqual(['database.url (PHOENIX_DATABASE_URL): must be a postgres:// or postgresql:// URL']);
    expect(loadConfig({ PHOENIX_AGENT_LOST_SECONDS: '30' }).errors).toEqual(['ingest.lostAfterSeconds (PHOENIX_AGENT_LOST_SECONDS): must be > staleAfterSeconds (30)']);
    expect(loadConfig({ PHOENIX_POLL_WAIT_SECONDS: '61' }).errors).toEqual(['queue.defaultWaitSeconds (PHOENIX_POLL_WAIT_SECONDS): must be <= 60 (got 61)']);
    expect(loadConfig({ PHOENIX_BIND_ADDRESS: '0.0.0.0' }).errors).toEqual([
      'api.bindAddress (PHOENIX_BIND_ADDRESS): refusing to bind the phoenix-api to non-loopback 0.0.0.0 without a token: set PHOENIX_API_TOKEN, or PHOENIX_ALLOW_INSECURE=true to allow it',
    ]);
  });
});
