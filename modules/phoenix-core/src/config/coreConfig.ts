import path from 'node:path';
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
  logLevel: 'debug' | 'info' | 'warn' | 'error';
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

/** The problems of a config, each naming its key; empty when valid. */
export function validateCoreConfig(c: CoreConfig): string[] {
  const errs: string[] = [];
  if (!c.bindAddress) errs.push('bindAddress: must not be empty');
  for (const [k, v] of Object.entries(c.ports)) {
    if (!Number.isInteger(v) || v < 0 || v > 65535) errs.push(`ports.${k}: must be an integer in 0..65535`);
  }
  const fixed = Object.entries(c.ports).filter(([, v]) => v !== 0);
  const seen = new Map<number, string>();
  for (const [k, v] of fixed) {
    const other = seen.get(v);
    if (other) errs.push(`ports.${k}: port ${v} is also used by ports.${other}`);
    seen.set(v, k);
  }
  errs.push(...validateSeriesStoreConfig(c.store));
  if (!Number.isInteger(c.maxRequestBytes) || c.maxRequestBytes < 1024) errs.push('maxRequestBytes: must be an integer ≥ 1024');
  if (!Number.isFinite(c.sweepIntervalMs) || c.sweepIntervalMs <= 0) errs.push('sweepIntervalMs: must be positive');
  if (!c.controlFile) errs.push('controlFile: must not be empty');
  if (!Number.isInteger(c.targetSeries) || c.targetSeries < 1) errs.push('targetSeries: must be a positive integer');
  if (!['debug', 'info', 'warn', 'error'].includes(c.logLevel)) errs.push('logLevel: must be one of debug, info, warn, error');
  errs.push(...validateRollupConfig(c.rollup), ...validateTopkConfig(c.topk));
  if (!Number.isInteger(c.shards) || c.shards < 1 || c.shards > 64) errs.push('shards: must be an integer in 1..64');
  return errs;
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

/**
 * Reads the configuration from environment variables (names in the README). Returns the
 * errors instead of throwing; each names the variable.
 */
export function coreConfigFromEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): { config: CoreConfig; errors: string[] } {
  const c = defaultCoreConfig();
  const errors: string[] = [];
  const int = (name: string, min: number, max: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      errors.push(`${name}: must be an integer in ${min}..${max} (got "${raw}")`);
      return undefined;
    }
    return n;
  };
  const num = (name: string, min: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) {
      errors.push(`${name}: must be a number ≥ ${min} (got "${raw}")`);
      return undefined;
    }
    return n;
  };
  if (env.PHOENIX_BIND_ADDRESS) c.bindAddress = env.PHOENIX_BIND_ADDRESS;
  for (const [key, name] of Object.entries(PORT_ENV) as Array<[keyof CorePorts, string]>) {
    const p = int(name, 0, 65535);
    if (p !== undefined) c.ports[key] = p;
  }
  const staleness = num('PHOENIX_STALENESS_SECONDS', 0.001);
  if (staleness !== undefined) c.store.stalenessMs = staleness * 1000;
  if (env.PHOENIX_RESOURCE_LABELS !== undefined) {
    c.store.resourceLabels = env.PHOENIX_RESOURCE_LABELS.split(',').map((s) => s.trim()).filter((s) => s !== '');
  }
  const maxSeries = int('PHOENIX_MAX_SERIES', 1, 1_000_000_000);
  if (maxSeries !== undefined) c.store.maxSeries = maxSeries;
  const maxBytes = int('PHOENIX_MAX_REQUEST_BYTES', 1024, 1024 * 1024 * 1024);
  if (maxBytes !== undefined) c.maxRequestBytes = maxBytes;
  const sweep = num('PHOENIX_SWEEP_INTERVAL_SECONDS', 0.01);
  if (sweep !== undefined) c.sweepIntervalMs = sweep * 1000;
  c.dataDir = path.resolve(cwd, env.PHOENIX_DATA_DIR || 'data');
  c.controlFile = env.PHOENIX_CONTROL_FILE ? path.resolve(cwd, env.PHOENIX_CONTROL_FILE) : path.join(c.dataDir, 'optimization_mode.yaml');
  c.priorityRulesFile = env.PHOENIX_PRIORITY_RULES ? path.resolve(cwd, env.PHOENIX_PRIORITY_RULES) : undefined;
  const target = int('PHOENIX_TARGET_SERIES', 1, 1_000_000_000);
  if (target !== undefined) c.targetSeries = target;
  if (env.PHOENIX_LOG_LEVEL) {
    if (['debug', 'info', 'warn', 'error'].includes(env.PHOENIX_LOG_LEVEL)) c.logLevel = env.PHOENIX_LOG_LEVEL as CoreConfig['logLevel'];
    else errors.push(`PHOENIX_LOG_LEVEL: must be one of debug, info, warn, error (got "${env.PHOENIX_LOG_LEVEL}")`);
  }
  const list = (name: string): string[] | undefined =>
    env[name] === undefined ? undefined : (env[name] as string).split(',').map((s) => s.trim()).filter((s) => s !== '');
  c.rollup.volatileAttributes = list('PHOENIX_VOLATILE_ATTRIBUTES') ?? c.rollup.volatileAttributes;
  c.rollup.processAttributePrefixes = list('PHOENIX_PROCESS_ATTRIBUTE_PREFIXES') ?? c.rollup.processAttributePrefixes;
  c.rollup.processAttributes = list('PHOENIX_PROCESS_ATTRIBUTES') ?? c.rollup.processAttributes;
  if (env.PHOENIX_HOST_ATTRIBUTE) c.rollup.hostAttribute = env.PHOENIX_HOST_ATTRIBUTE;
  const agg = (name: string, raw: string): GaugeAggregation | undefined => {
    if ((GAUGE_AGGREGATIONS as readonly string[]).includes(raw)) return raw as GaugeAggregation;
    errors.push(`${name}: "${raw}" is not one of ${GAUGE_AGGREGATIONS.join(', ')}`);
    return undefined;
  };
  if (env.PHOENIX_GAUGE_AGGREGATION) c.rollup.gaugeAggregation = agg('PHOENIX_GAUGE_AGGREGATION', env.PHOENIX_GAUGE_AGGREGATION) ?? c.rollup.gaugeAggregation;
  for (const pair of list('PHOENIX_GAUGE_AGGREGATION_BY_METRIC') ?? []) {
    const [metric, fn] = pair.split('=');
    if (!metric || !fn) errors.push(`PHOENIX_GAUGE_AGGREGATION_BY_METRIC: "${pair}" must be metric=function`);
    else {
      const a = agg('PHOENIX_GAUGE_AGGREGATION_BY_METRIC', fn);
      if (a) c.rollup.gaugeAggregationByMetric[metric] = a;
    }
  }
  c.rollup.stalenessMs = c.store.stalenessMs;
  const emptyTtl = num('PHOENIX_EMPTY_GROUP_TTL_SECONDS', 0);
  if (emptyTtl !== undefined) c.rollup.emptyGroupTtlMs = emptyTtl * 1000;
  if (env.PHOENIX_TOPK_RANKING_METRIC) c.topk.rankingMetric = env.PHOENIX_TOPK_RANKING_METRIC;
  const window = num('PHOENIX_TOPK_WINDOW_SECONDS', 0.001);
  if (window !== undefined) c.topk.windowMs = window * 1000;
  const rank = num('PHOENIX_TOPK_RANK_INTERVAL_SECONDS', 0.001);
  if (rank !== undefined) c.topk.rankIntervalMs = rank * 1000;
  const margin = num('PHOENIX_TOPK_MARGIN', 0);
  if (margin !== undefined) c.topk.margin = margin;
  if (env.PHOENIX_REDUCTION_ENABLED !== undefined) {
    if (env.PHOENIX_REDUCTION_ENABLED === 'true' || env.PHOENIX_REDUCTION_ENABLED === 'false') c.reductionEnabled = env.PHOENIX_REDUCTION_ENABLED === 'true';
    else errors.push(`PHOENIX_REDUCTION_ENABLED: must be true or false (got "${env.PHOENIX_REDUCTION_ENABLED}")`);
  }
  const shards = int('PHOENIX_CORE_SHARDS', 1, 64);
  if (shards !== undefined) c.shards = shards;
  c.controlFilePolling = env.PHOENIX_CONTROL_FILE_POLL === 'true' || env.PHOENIX_CONTROL_FILE_POLL === '1';
  errors.push(...validateCoreConfig(c));
  return { config: c, errors };
}
