import os from 'node:os';
import path from 'node:path';
import { ConfigErrors, EnvReader, LOG_LEVELS, type Env, type LogLevel } from '@phoenix/runtime';
import { defaultApiClientConfig, validateApiClientConfig, type ApiClientConfig } from './api/config';
import { DEFAULT_CONTROL_URL, defaultControlConfig, validateControlConfig, type ControlConfig } from './control/config';
import { defaultCoreConfig, validateCoreConfig, type CoreConfig } from './core/config';
import { defaultHttpConfig, validateHttpConfig, type HttpConfig } from './health/config';
import { defaultOutboxConfig, validateOutboxConfig, type OutboxConfig } from './outbox/config';
import { defaultPushConfig, validatePushConfig, type PushConfig } from './push/config';
import { defaultTasksConfig, validateTasksConfig, type TasksConfig } from './tasks/config';

/** Everything phoenix-agent reads from its environment, one section per component. */
export interface AgentConfig {
  logLevel: LogLevel;
  /** PHOENIX_DATA_DIR; the agent keeps its state in `<dataDir>/agent` */
  dataDir: string;
  stateDir: string;
  api: ApiClientConfig;
  http: HttpConfig;
  core: CoreConfig;
  control: ControlConfig;
  push: PushConfig;
  outbox: OutboxConfig;
  tasks: TasksConfig;
  /** phoenix-generators, for load_simulation */
  generators: { cli: string; profilesDir: string };
  /** log lines of this level and above are sent to phoenix-api */
  shipLogLevel: LogLevel;
}

/** Config key -> the variable that sets it (error messages, README). */
export const ENV: Readonly<Record<string, string>> = {
  logLevel: 'PHOENIX_LOG_LEVEL',
  dataDir: 'PHOENIX_DATA_DIR',
  'api.url': 'PHOENIX_API_URL',
  'api.key': 'PHOENIX_AGENT_KEY',
  'api.hostId': 'PHOENIX_HOST_ID',
  'api.requestTimeoutSeconds': 'PHOENIX_AGENT_REQUEST_TIMEOUT_SECONDS',
  'api.pollWaitSeconds': 'PHOENIX_AGENT_POLL_WAIT_SECONDS',
  'api.heartbeatIntervalSeconds': 'PHOENIX_AGENT_HEARTBEAT_INTERVAL_SECONDS',
  'api.backoffMaxSeconds': 'PHOENIX_AGENT_BACKOFF_MAX_SECONDS',
  'api.authRetrySeconds': 'PHOENIX_AGENT_AUTH_RETRY_SECONDS',
  'http.port': 'PHOENIX_AGENT_PORT',
  'http.bindAddress': 'PHOENIX_BIND_ADDRESS',
  'core.manage': 'PHOENIX_AGENT_MANAGE_CORE',
  'core.url': 'PHOENIX_CORE_URL',
  'core.healthUrl': 'PHOENIX_CORE_HEALTH_URL',
  'core.otlpHttpUrl': 'PHOENIX_CORE_OTLP_URL',
  'core.main': 'PHOENIX_AGENT_CORE_MAIN',
  'core.metricsIntervalSeconds': 'PHOENIX_AGENT_METRICS_INTERVAL_SECONDS',
  'core.scrapeTimeoutSeconds': 'PHOENIX_AGENT_SCRAPE_TIMEOUT_SECONDS',
  'core.healthIntervalSeconds': 'PHOENIX_AGENT_HEALTH_INTERVAL_SECONDS',
  'core.restartMinSeconds': 'PHOENIX_AGENT_RESTART_MIN_SECONDS',
  'core.restartMaxSeconds': 'PHOENIX_AGENT_RESTART_MAX_SECONDS',
  'core.stopGraceSeconds': 'PHOENIX_AGENT_STOP_GRACE_SECONDS',
  'control.manage': 'PHOENIX_AGENT_MANAGE_CONTROL',
  'control.url': 'PHOENIX_CONTROL_URL',
  'control.token': 'PHOENIX_API_TOKEN',
  'control.main': 'PHOENIX_AGENT_CONTROL_MAIN',
  'control.file': 'PHOENIX_CONTROL_FILE',
  'control.defaultTargetSeries': 'PHOENIX_TARGET_SERIES',
  'control.requestTimeoutSeconds': 'PHOENIX_AGENT_CONTROL_TIMEOUT_SECONDS',
  'push.url': 'PHOENIX_PUSHGATEWAY_URL',
  'push.job': 'PHOENIX_PUSHGATEWAY_JOB',
  'push.timeoutSeconds': 'PHOENIX_AGENT_PUSH_TIMEOUT_SECONDS',
  'outbox.maxReports': 'PHOENIX_AGENT_OUTBOX_MAX_REPORTS',
  'outbox.maxSamples': 'PHOENIX_AGENT_OUTBOX_MAX_SAMPLES',
  'outbox.maxLogLines': 'PHOENIX_AGENT_OUTBOX_MAX_LOG_LINES',
  'outbox.metricsBatch': 'PHOENIX_AGENT_METRICS_BATCH',
  'outbox.logsBatch': 'PHOENIX_AGENT_LOGS_BATCH',
  'tasks.maxConcurrent': 'PHOENIX_AGENT_MAX_TASKS',
  'tasks.journalMaxEntries': 'PHOENIX_AGENT_JOURNAL_MAX_ENTRIES',
  'generators.cli': 'PHOENIX_AGENT_GENERATORS_CLI',
  'generators.profilesDir': 'PHOENIX_GENERATORS_PROFILES_DIR',
  shipLogLevel: 'PHOENIX_AGENT_SHIP_LOG_LEVEL',
};

/** A file of a workspace package (e.g. @phoenix/core's dist/main.js); '' when the package is not installed. */
export function packageFile(pkg: string, file: string): string {
  try {
    return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
  } catch {
    return '';
  }
}

/** The address local services are reached at: loopback unless the host binds one specific address. */
function localHost(bind: string): string {
  if (bind === '0.0.0.0' || bind === '::' || bind === '' || bind === 'localhost') return '127.0.0.1';
  return bind.includes(':') ? `[${bind}]` : bind;
}

export interface LoadConfigOptions {
  /** the host name (default os.hostname()) */
  hostname?: string;
}

/** Reads the environment (names in ENV and the README); `errors` name the config key and the variable. */
export function loadConfig(env: Env = process.env, o: LoadConfigOptions = {}): { config: AgentConfig; errors: string[] } {
  const r = new EnvReader(env);
  const dataDir = r.str('PHOENIX_DATA_DIR') ?? './data';
  const bind = r.str('PHOENIX_BIND_ADDRESS') ?? defaultHttpConfig.bindAddress;
  const host = localHost(bind);
  const port = (name: string, fallback: number): number => r.int(name, fallback);
  const controlUrlSet = r.isSet('PHOENIX_CONTROL_URL');
  const generatorsRoot = packageFile('@phoenix/generators', '');
  const d = defaultCoreConfig;
  const config: AgentConfig = {
    logLevel: r.oneOf('PHOENIX_LOG_LEVEL', LOG_LEVELS, 'info'),
    dataDir,
    stateDir: path.join(dataDir, 'agent'),
    api: {
      url: r.str('PHOENIX_API_URL') ?? defaultApiClientConfig.url,
      key: r.str('PHOENIX_AGENT_KEY') ?? '',
      hostId: r.str('PHOENIX_HOST_ID') ?? o.hostname ?? os.hostname(),
      requestTimeoutSeconds: r.seconds('PHOENIX_AGENT_REQUEST_TIMEOUT_SECONDS', defaultApiClientConfig.requestTimeoutSeconds),
      pollWaitSeconds: r.seconds('PHOENIX_AGENT_POLL_WAIT_SECONDS', defaultApiClientConfig.pollWaitSeconds),
      heartbeatIntervalSeconds: r.seconds('PHOENIX_AGENT_HEARTBEAT_INTERVAL_SECONDS', defaultApiClientConfig.heartbeatIntervalSeconds),
      backoffMaxSeconds: r.seconds('PHOENIX_AGENT_BACKOFF_MAX_SECONDS', defaultApiClientConfig.backoffMaxSeconds),
      authRetrySeconds: r.seconds('PHOENIX_AGENT_AUTH_RETRY_SECONDS', defaultApiClientConfig.authRetrySeconds),
    },
    http: { port: port('PHOENIX_AGENT_PORT', defaultHttpConfig.port), bindAddress: bind },
    core: {
      manage: r.bool('PHOENIX_AGENT_MANAGE_CORE', d.manage),
      url: r.str('PHOENIX_CORE_URL') ?? `http://${host}:${port('PHOENIX_OBSERVATORY_PORT', 8891)}`,
      healthUrl: r.str('PHOENIX_CORE_HEALTH_URL') ?? `http://${host}:${port('PHOENIX_HEALTH_PORT', 13133)}/health`,
      otlpHttpUrl: r.str('PHOENIX_CORE_OTLP_URL') ?? `http://${host}:${port('PHOENIX_OTLP_HTTP_PORT', 4318)}`,
      main: r.str('PHOENIX_AGENT_CORE_MAIN') ?? packageFile('@phoenix/core', 'dist/main.js'),
      metricsIntervalSeconds: r.seconds('PHOENIX_AGENT_METRICS_INTERVAL_SECONDS', d.metricsIntervalSeconds),
      scrapeTimeoutSeconds: r.seconds('PHOENIX_AGENT_SCRAPE_TIMEOUT_SECONDS', d.scrapeTimeoutSeconds),
      healthIntervalSeconds: r.seconds('PHOENIX_AGENT_HEALTH_INTERVAL_SECONDS', d.healthIntervalSeconds),
      restartMinSeconds: r.seconds('PHOENIX_AGENT_RESTART_MIN_SECONDS', d.restartMinSeconds),
      restartMaxSeconds: r.seconds('PHOENIX_AGENT_RESTART_MAX_SECONDS', d.restartMaxSeconds),
      stopGraceSeconds: r.seconds('PHOENIX_AGENT_STOP_GRACE_SECONDS', d.stopGraceSeconds),
    },
    control: {
      manage: r.bool('PHOENIX_AGENT_MANAGE_CONTROL', defaultControlConfig.manage),
      url: controlUrlSet ? r.str('PHOENIX_CONTROL_URL') : `http://${host}:${port('PHOENIX_CONTROL_API_PORT', Number(new URL(DEFAULT_CONTROL_URL).port))}`,
      urlExplicit: controlUrlSet && r.str('PHOENIX_CONTROL_URL') !== undefined,
      token: r.str('PHOENIX_API_TOKEN'),
      main: r.str('PHOENIX_AGENT_CONTROL_MAIN') ?? packageFile('@phoenix/control', 'dist/main.js'),
      file: r.str('PHOENIX_CONTROL_FILE') ?? path.join(dataDir, 'optimization_mode.yaml'),
      defaultTargetSeries: r.int('PHOENIX_TARGET_SERIES', defaultControlConfig.defaultTargetSeries),
      requestTimeoutSeconds: r.seconds('PHOENIX_AGENT_CONTROL_TIMEOUT_SECONDS', defaultControlConfig.requestTimeoutSeconds),
    },
    push: {
      url: r.str('PHOENIX_PUSHGATEWAY_URL'),
      job: r.str('PHOENIX_PUSHGATEWAY_JOB') ?? defaultPushConfig.job,
      timeoutSeconds: r.seconds('PHOENIX_AGENT_PUSH_TIMEOUT_SECONDS', defaultPushConfig.timeoutSeconds),
    },
    outbox: {
      maxReports: r.int('PHOENIX_AGENT_OUTBOX_MAX_REPORTS', defaultOutboxConfig.maxReports),
      maxSamples: r.int('PHOENIX_AGENT_OUTBOX_MAX_SAMPLES', defaultOutboxConfig.maxSamples),
      maxLogLines: r.int('PHOENIX_AGENT_OUTBOX_MAX_LOG_LINES', defaultOutboxConfig.maxLogLines),
      metricsBatch: r.int('PHOENIX_AGENT_METRICS_BATCH', defaultOutboxConfig.metricsBatch),
      logsBatch: r.int('PHOENIX_AGENT_LOGS_BATCH', defaultOutboxConfig.logsBatch),
    },
    tasks: {
      maxConcurrent: r.int('PHOENIX_AGENT_MAX_TASKS', defaultTasksConfig.maxConcurrent),
      journalMaxEntries: r.int('PHOENIX_AGENT_JOURNAL_MAX_ENTRIES', defaultTasksConfig.journalMaxEntries),
    },
    generators: {
      cli: r.str('PHOENIX_AGENT_GENERATORS_CLI') ?? (generatorsRoot ? path.join(generatorsRoot, 'dist/cli/generateCli.js') : ''),
      profilesDir: r.str('PHOENIX_GENERATORS_PROFILES_DIR') ?? (generatorsRoot ? path.join(generatorsRoot, 'profiles') : ''),
    },
    shipLogLevel: r.oneOf('PHOENIX_AGENT_SHIP_LOG_LEVEL', LOG_LEVELS, 'info'),
  };
  return { config, errors: [...namedParseErrors(r.errors), ...validateConfig(config)] };
}

/** Variables outside ENV that feed a key: the core's and control's ports the default URLs are built from. */
const DERIVED: Readonly<Record<string, string>> = {
  PHOENIX_OBSERVATORY_PORT: 'core.url',
  PHOENIX_HEALTH_PORT: 'core.healthUrl',
  PHOENIX_OTLP_HTTP_PORT: 'core.otlpHttpUrl',
  PHOENIX_CONTROL_API_PORT: 'control.url',
};

/** `VAR: problem` (EnvReader) as `key (VAR): problem`. */
function namedParseErrors(errors: readonly string[]): string[] {
  const keyOf = new Map<string, string>(Object.entries(DERIVED));
  for (const [key, v] of Object.entries(ENV)) if (!keyOf.has(v)) keyOf.set(v, key);
  return errors.map((m) => {
    const colon = m.indexOf(':');
    const key = keyOf.get(m.slice(0, colon));
    return key ? `${key} (${m.slice(0, colon)})${m.slice(colon)}` : m;
  });
}

/** Every section's problems; each message starts with the config key, followed by its variable. */
export function validateConfig(c: AgentConfig): string[] {
  const e = new ConfigErrors(ENV);
  e.nonEmpty('dataDir', c.dataDir);
  e.addAll([
    ...validateApiClientConfig(c.api),
    ...validateHttpConfig(c.http),
    ...validateCoreConfig(c.core),
    ...validateControlConfig(c.control, c.core.manage),
    ...validatePushConfig(c.push),
    ...validateOutboxConfig(c.outbox),
    ...validateTasksConfig(c.tasks),
  ]);
  return [...new Set(e.messages)];
}
