import path from 'node:path';
import { ConfigErrors, EnvReader, LOG_LEVELS, type Env, type LogLevel } from '@phoenix/runtime';
import { defaultRollupConfig, GAUGE_AGGREGATIONS, validateRollupConfig, type GaugeAggregation, type RollupConfig } from '../processor/rollup/rollupConfig';
import { defaultTopkConfig, validateTopkConfig, type TopkConfig } from '../processor/topk/topkConfig';
import { defaultSeriesStoreConfig, validateSeriesStoreConfig, type SeriesStoreConfig } from '../store/seriesStoreConfig';

/** Listener ports of phoenix-core (0 = pick a free port). */
export interface CorePorts {
  otlpGrpc: number;
  otlpHttp: number;
  fullFidelity: number;
  optimized: number;
  experimentalTopk: number;
  observatory: number;
  active: number;
  health: number;
}

/** Everything phoenix-core needs to run. */
export interface CoreConfig {
  bindAddress: string;
  ports: CorePorts;
  store: SeriesStoreConfig;
  /** largest OTLP request body (decompressed), both protocols */
  maxRequestBytes: number;
  /** how often the staleness sweep runs */
  sweepIntervalMs: number;
  dataDir: string;
  /** optimization_mode.yaml */
  controlFile: string;
  /** priority rules YAML; undefined = the shipped default */
  priorityRulesFile: string | undefined;
  /** series budget used while no control file is in force */
  targetSeries: number;
  logLevel: LogLevel;
  rollup: RollupConfig;
  topk: TopkConfig;
  /** run the optimized and experimental_topk pipelines (false: full_fidelity only, for comparison) */
  reductionEnabled: boolean;
  /** poll the control file instead of relying on file-system events (network or container volumes) */
  controlFilePolling: boolean;
  /**
   * worker threads holding the series (by host), each with its own store and pipelines; 1 runs
   * everything on the main thread (see ShardedCoreService)
   */
  shards: number;
}

export const DEFAULT_PORTS: CorePorts = {
  otlpGrpc: 4317,
  otlpHttp: 4318,
  fullFidelity: 8888,
  optimized: 8889,
  experimentalTopk: 8890,
  observatory: 8891,
  active: 8892,
  health: 13133,
};

export function defaultCoreConfig(): CoreConfig {
  const dataDir = path.resolve('data');
  return {
    bindAddress: '127.0.0.1',
    ports: { ...DEFAULT_PORTS },
    store: { ...defaultSeriesStoreConfig, resourceLabels: [...defaultSeriesStoreConfig.resourceLabels] },
    maxRequestBytes: 16 * 1024 * 1024,
    sweepIntervalMs: 10_000,
    dataDir,
    controlFile: path.join(dataDir, 'optimization_mode.yaml'),
    priorityRulesFile: undefined,
    targetSeries: 20_000,
    logLevel: 'info',
    rollup: { ...defaultRollupConfig, gaugeAggregationByMetric: {} },
    topk: { ...defaultTopkConfig },
    controlFilePolling: false,
    reductionEnabled: true,
    shards: 1,
  };
}

/** The environment variable of each port (also used by the bench to start the core on free ports). */
export const PORT_ENV: Readonly<Record<keyof CorePorts, string>> = {
  otlpGrpc: 'PHOENIX_OTLP_GRPC_PORT',
  otlpHttp: 'PHOENIX_OTLP_HTTP_PORT',
  fullFidelity: 'PHOENIX_FULL_FIDELITY_PORT',
  optimized: 'PHOENIX_OPTIMIZED_PORT',
  experimentalTopk: 'PHOENIX_EXPERIMENTAL_TOPK_PORT',
  observatory: 'PHOENIX_OBSERVATORY_PORT',
  active: 'PHOENIX_ACTIVE_PORT',
  health: 'PHOENIX_HEALTH_PORT',
};

/** Config key → the environment variable that sets it (validation messages name both; the README lists them). */
export const CORE_ENV: Readonly<Record<string, string>> = {
  bindAddress: 'PHOENIX_BIND_ADDRESS',
  ...Object.fromEntries(Object.entries(PORT_ENV).map(([k, v]) => [`ports.${k}`, v])),
  'store.stalenessMs': 'PHOENIX_STALENESS_SECONDS',
  'store.resourceLabels': 'PHOENIX_RESOURCE_LABELS',
  'store.maxSeries': 'PHOENIX_MAX_SERIES',
  maxRequestBytes: 'PHOENIX_MAX_REQUEST_BYTES',
  sweepIntervalMs: 'PHOENIX_SWEEP_INTERVAL_SECONDS',
  dataDir: 'PHOENIX_DATA_DIR',
  controlFile: 'PHOENIX_CONTROL_FILE',
  controlFilePolling: 'PHOENIX_CONTROL_FILE_POLL',
  priorityRulesFile: 'PHOENIX_PRIORITY_RULES',
  targetSeries: 'PHOENIX_TARGET_SERIES',
  logLevel: 'PHOENIX_LOG_LEVEL',
  'rollup.hostAttribute': 'PHOENIX_HOST_ATTRIBUTE',
  'rollup.processAttributePrefixes': 'PHOENIX_PROCESS_ATTRIBUTE_PREFIXES',
  'rollup.processAttributes': 'PHOENIX_PROCESS_ATTRIBUTES',
  'rollup.volatileAttributes': 'PHOENIX_VOLATILE_ATTRIBUTES',
  'rollup.gaugeAggregation': 'PHOENIX_GAUGE_AGGREGATION',
  'rollup.gaugeAggregationByMetric': 'PHOENIX_GAUGE_AGGREGATION_BY_METRIC',
  'rollup.stalenessMs': 'PHOENIX_STALENESS_SECONDS',
  'rollup.emptyGroupTtlMs': 'PHOENIX_EMPTY_GROUP_TTL_SECONDS',
  'topk.rankingMetric': 'PHOENIX_TOPK_RANKING_METRIC',
  'topk.windowMs': 'PHOENIX_TOPK_WINDOW_SECONDS',
  'topk.rankIntervalMs': 'PHOENIX_TOPK_RANK_INTERVAL_SECONDS',
  'topk.margin': 'PHOENIX_TOPK_MARGIN',
  reductionEnabled: 'PHOENIX_REDUCTION_ENABLED',
  shards: 'PHOENIX_CORE_SHARDS',
};

const MAX_COUNT = 1_000_000_000;

/** The problems of a config, each `key (VARIABLE): problem`; empty when valid. */
export function validateCoreConfig(c: CoreConfig): string[] {
  const e = new ConfigErrors(CORE_ENV);
  e.nonEmpty('bindAddress', c.bindAddress);
  const seen = new Map<number, string>();
  for (const [k, v] of Object.entries(c.ports)) {
    e.port(`ports.${k}`, v);
    const other = seen.get(v);
    if (v !== 0 && other) e.add(`ports.${k}`, `port ${v} is also used by ports.${other}`);
    seen.set(v, k);
  }
  e.addAll(validateSeriesStoreConfig(c.store));
  e.number('maxRequestBytes', c.maxRequestBytes, { integer: true, min: 1024, max: 1024 ** 3 });
  e.number('sweepIntervalMs', c.sweepIntervalMs, { min: 10 });
  e.nonEmpty('dataDir', c.dataDir);
  e.nonEmpty('controlFile', c.controlFile);
  e.number('targetSeries', c.targetSeries, { integer: true, min: 1, max: MAX_COUNT });
  e.oneOf('logLevel', c.logLevel, LOG_LEVELS);
  e.addAll([...validateRollupConfig(c.rollup), ...validateTopkConfig(c.topk)]);
  e.number('shards', c.shards, { integer: true, min: 1, max: 64 });
  return e.messages;
}

/** `metric=function,…` (PHOENIX_GAUGE_AGGREGATION_BY_METRIC); a malformed entry is an error naming the variable. */
function readAggregationByMetric(r: EnvReader, name: string): Record<string, GaugeAggregation> {
  const out: Record<string, GaugeAggregation> = {};
  for (const pair of r.list(name, [])) {
    const [metric, fn] = pair.split('=');
    if (!metric || !fn) r.errors.push(`${name}: "${pair}" must be metric=function`);
    else if (!(GAUGE_AGGREGATIONS as readonly string[]).includes(fn)) r.errors.push(`${name}: "${pair}": must be one of ${GAUGE_AGGREGATIONS.join(', ')}`);
    else out[metric] = fn as GaugeAggregation;
  }
  return out;
}

/**
 * Reads the configuration from environment variables (names in CORE_ENV and the README), through
 * the runtime's EnvReader: booleans accept 1/0, true/false, yes/no, on/off; durations `30`, `500ms`,
 * `2m`; sizes `16777216`, `16MiB`. Returns the problems instead of throwing: a value that does not
 * parse names its variable, a value out of range its config key and variable.
 */
export function coreConfigFromEnv(env: Env, cwd = process.cwd()): { config: CoreConfig; errors: string[] } {
  const d = defaultCoreConfig();
  const r = new EnvReader(env);
  // a duration variable in seconds (`30`, `500ms`, `2m`), as milliseconds
  const ms = (name: string, fallbackMs: number): number => r.seconds(name, fallbackMs / 1000) * 1000;
  const ports = { ...d.ports };
  for (const [key, name] of Object.entries(PORT_ENV) as Array<[keyof CorePorts, string]>) ports[key] = r.int(name, d.ports[key]);
  const dataDir = path.resolve(cwd, r.str('PHOENIX_DATA_DIR') ?? 'data');
  const controlFile = r.str('PHOENIX_CONTROL_FILE');
  const rulesFile = r.str('PHOENIX_PRIORITY_RULES');
  const stalenessMs = ms('PHOENIX_STALENESS_SECONDS', d.store.stalenessMs);
  const config: CoreConfig = {
    bindAddress: r.str('PHOENIX_BIND_ADDRESS') ?? d.bindAddress,
    ports,
    store: {
      stalenessMs,
      resourceLabels: r.list('PHOENIX_RESOURCE_LABELS', d.store.resourceLabels),
      maxSeries: r.int('PHOENIX_MAX_SERIES', d.store.maxSeries),
    },
    maxRequestBytes: r.bytes('PHOENIX_MAX_REQUEST_BYTES', d.maxRequestBytes),
    sweepIntervalMs: ms('PHOENIX_SWEEP_INTERVAL_SECONDS', d.sweepIntervalMs),
    dataDir,
    controlFile: controlFile ? path.resolve(cwd, controlFile) : path.join(dataDir, 'optimization_mode.yaml'),
    priorityRulesFile: rulesFile ? path.resolve(cwd, rulesFile) : undefined,
    targetSeries: r.int('PHOENIX_TARGET_SERIES', d.targetSeries),
    logLevel: r.oneOf('PHOENIX_LOG_LEVEL', LOG_LEVELS, d.logLevel),
    rollup: {
      ...d.rollup,
      hostAttribute: r.str('PHOENIX_HOST_ATTRIBUTE') ?? d.rollup.hostAttribute,
      processAttributePrefixes: r.list('PHOENIX_PROCESS_ATTRIBUTE_PREFIXES', d.rollup.processAttributePrefixes),
      processAttributes: r.list('PHOENIX_PROCESS_ATTRIBUTES', d.rollup.processAttributes),
      volatileAttributes: r.list('PHOENIX_VOLATILE_ATTRIBUTES', d.rollup.volatileAttributes),
      gaugeAggregation: r.oneOf('PHOENIX_GAUGE_AGGREGATION', GAUGE_AGGREGATIONS, d.rollup.gaugeAggregation),
      gaugeAggregationByMetric: readAggregationByMetric(r, 'PHOENIX_GAUGE_AGGREGATION_BY_METRIC'),
      // output groups go stale with their input series
      stalenessMs,
      emptyGroupTtlMs: ms('PHOENIX_EMPTY_GROUP_TTL_SECONDS', d.rollup.emptyGroupTtlMs),
    },
    topk: {
      ...d.topk,
      rankingMetric: r.str('PHOENIX_TOPK_RANKING_METRIC') ?? d.topk.rankingMetric,
      windowMs: ms('PHOENIX_TOPK_WINDOW_SECONDS', d.topk.windowMs),
      rankIntervalMs: ms('PHOENIX_TOPK_RANK_INTERVAL_SECONDS', d.topk.rankIntervalMs),
      margin: r.num('PHOENIX_TOPK_MARGIN', d.topk.margin),
    },
    reductionEnabled: r.bool('PHOENIX_REDUCTION_ENABLED', d.reductionEnabled),
    controlFilePolling: r.bool('PHOENIX_CONTROL_FILE_POLL', d.controlFilePolling),
    shards: r.int('PHOENIX_CORE_SHARDS', d.shards),
  };
  return { config, errors: [...r.errors, ...validateCoreConfig(config)] };
}
