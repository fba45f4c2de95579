import path from 'node:path';
import { defaultApiConfig, validateApiConfig, type ApiConfig } from './api/config';
import { defaultCostConfig, validateCostConfig, type CostConfig } from './analyzers/costConfig';
import { defaultCatalogPath, defaultProfilesDir } from './catalog/catalog';
import { defaultRunnerConfig, validateRunnerConfig, type RunnerConfig } from './runner/config';
import { defaultSourcesConfig, validateSourcesConfig, type SourcesConfig } from './sources/config';
import { ConfigErrors, EnvReader, LOG_LEVELS, readRestApiConfig, restApiEnv, type Env, type LogLevel, type RestApiEnvNames } from '@phoenix/runtime';

export interface ValidationServiceConfig {
  dataDir: string;
  logLevel: LogLevel;
  /** PHOENIX_ENV: the environment whose prices apply (recorded in every result). */
  environment: string;
  catalogPath: string;
  profilesDir: string;
  dbPath: string;
  reportDir: string;
  /** PHOENIX_API_TOKEN: also sent to the generators' mutating routes. */
  token?: string;
  sources: SourcesConfig;
  runner: RunnerConfig;
  cost: CostConfig;
  api: ApiConfig;
}

/** The variables of the benchmark API's own REST settings (the shared ones: PHOENIX_BIND_ADDRESS, PHOENIX_API_TOKEN, PHOENIX_ALLOW_INSECURE). */
export const API_ENV: RestApiEnvNames = {
  port: 'PHOENIX_VALIDATION_PORT',
  bodyLimitBytes: 'PHOENIX_VALIDATION_API_BODY_LIMIT_BYTES',
  rateLimitPerMinute: 'PHOENIX_VALIDATION_API_RATE_LIMIT_PER_MINUTE',
};

/** Config key -> the environment variable that sets it (error messages and the README). */
export const ENV: Record<string, string> = {
  dataDir: 'PHOENIX_DATA_DIR',
  logLevel: 'PHOENIX_LOG_LEVEL',
  environment: 'PHOENIX_ENV',
  catalogPath: 'PHOENIX_VALIDATION_CATALOG',
  profilesDir: 'PHOENIX_GENERATORS_PROFILES_DIR',
  dbPath: 'PHOENIX_VALIDATION_DB',
  reportDir: 'PHOENIX_VALIDATION_REPORT_DIR',
  token: 'PHOENIX_API_TOKEN',
  'sources.coreUrl': 'PHOENIX_CORE_URL',
  'sources.fullFidelityUrl': 'PHOENIX_FULL_FIDELITY_URL',
  'sources.experimentalTopkUrl': 'PHOENIX_EXPERIMENTAL_TOPK_URL',
  'sources.activeUrl': 'PHOENIX_ACTIVE_URL',
  'sources.observerUrl': 'PHOENIX_OBSERVER_URL',
  'sources.prometheusUrl': 'PROMETHEUS_URL',
  'sources.prometheusSelector': 'PHOENIX_PROMETHEUS_SELECTOR',
  'sources.generatorsUrl': 'PHOENIX_GENERATORS_URL',
  'sources.controlUrl': 'PHOENIX_CONTROL_URL',
  'sources.timeoutSeconds': 'PHOENIX_VALIDATION_HTTP_TIMEOUT_SECONDS',
  'runner.sampleIntervalSeconds': 'PHOENIX_VALIDATION_SAMPLE_INTERVAL_SECONDS',
  'runner.probeIntervalSeconds': 'PHOENIX_VALIDATION_PROBE_INTERVAL_SECONDS',
  'runner.minWallIntervalSeconds': 'PHOENIX_VALIDATION_MIN_WALL_INTERVAL_SECONDS',
  'runner.recallTopN': 'PHOENIX_VALIDATION_RECALL_TOP_N',
  'runner.recallMinAgeSeconds': 'PHOENIX_VALIDATION_RECALL_MIN_AGE_SECONDS',
  'runner.flapWindowSeconds': 'PHOENIX_VALIDATION_FLAP_WINDOW_SECONDS',
  'runner.settlingTolerance': 'PHOENIX_VALIDATION_SETTLING_TOLERANCE',
  'runner.settlingHoldSeconds': 'PHOENIX_VALIDATION_SETTLING_HOLD_SECONDS',
  'runner.loadUpdateMinSeconds': 'PHOENIX_VALIDATION_LOAD_UPDATE_MIN_SECONDS',
  'runner.stopLoadAtEnd': 'PHOENIX_VALIDATION_STOP_LOAD',
  'runner.fallbackTargetSeries': 'PHOENIX_TARGET_SERIES',
  'cost.currency': 'PHOENIX_PRICE_CURRENCY',
  'cost.pricePerSeriesMonth': 'PHOENIX_PRICE_PER_SERIES_MONTH',
  'cost.pricePerMillionSamples': 'PHOENIX_PRICE_PER_MILLION_SAMPLES',
  'cost.scrapeIntervalSeconds': 'PHOENIX_COST_SCRAPE_INTERVAL_SECONDS',
  ...restApiEnv('api', API_ENV),
  'api.listDefaultLimit': 'PHOENIX_VALIDATION_LIST_DEFAULT_LIMIT',
  'api.listMaxLimit': 'PHOENIX_VALIDATION_LIST_MAX_LIMIT',
};

/** The host of a URL, for derived defaults (the core's outputs live next to its observatory). */
function hostOf(url: string): string {
  try {
    return new URL(url).hostname || '127.0.0.1';
  } catch {
    return '127.0.0.1';
  }
}

/**
 * Reads the environment (names in ENV and the README) with the runtime's one parser per kind (durations accept
 * `30`, `500ms`, `2m`; sizes `16384`, `16KiB`; booleans 1/0, true/false, yes/no, on/off); `errors` name the
 * variable (a value that does not parse) or the config key and its variable (a value out of range).
 */
export function loadConfig(env: Env = process.env): { config: ValidationServiceConfig; errors: string[] } {
  const r = new EnvReader(env);
  const dataDir = r.str('PHOENIX_DATA_DIR') ?? './data';
  const logLevel: LogLevel = r.oneOf('PHOENIX_LOG_LEVEL', LOG_LEVELS, 'info');
  const api = readRestApiConfig(r, API_ENV, defaultApiConfig);
  const src = defaultSourcesConfig;
  const run = defaultRunnerConfig;
  const cost = defaultCostConfig;
  const coreUrl = r.str('PHOENIX_CORE_URL') ?? src.coreUrl;
  const coreHost = hostOf(coreUrl);
  const output = (urlVar: string, portVar: string, port: number): string =>
    r.str(urlVar) ?? `http://${coreHost.includes(':') ? `[${coreHost}]` : coreHost}:${r.int(portVar, port)}/metrics`;
  const config: ValidationServiceConfig = {
    dataDir,
    logLevel,
    environment: r.str('PHOENIX_ENV') ?? 'development',
    catalogPath: r.str('PHOENIX_VALIDATION_CATALOG') ?? defaultCatalogPath(),
    profilesDir: r.str('PHOENIX_GENERATORS_PROFILES_DIR') ?? defaultProfilesDir(),
    dbPath: r.str('PHOENIX_VALIDATION_DB') ?? path.join(dataDir, 'validation.sqlite'),
    reportDir: r.str('PHOENIX_VALIDATION_REPORT_DIR') ?? path.join(dataDir, 'reports'),
    token: api.token,
    sources: {
      coreUrl,
      fullFidelityUrl: output('PHOENIX_FULL_FIDELITY_URL', 'PHOENIX_FULL_FIDELITY_PORT', 8888),
      experimentalTopkUrl: output('PHOENIX_EXPERIMENTAL_TOPK_URL', 'PHOENIX_EXPERIMENTAL_TOPK_PORT', 8890),
      activeUrl: output('PHOENIX_ACTIVE_URL', 'PHOENIX_ACTIVE_PORT', 8892),
      observerUrl: r.optionalUrl('PHOENIX_OBSERVER_URL', src.observerUrl!),
      prometheusUrl: r.str('PROMETHEUS_URL'),
      prometheusSelector: r.str('PHOENIX_PROMETHEUS_SELECTOR') ?? '',
      generatorsUrl: r.str('PHOENIX_GENERATORS_URL') ?? src.generatorsUrl,
      controlUrl: r.optionalUrl('PHOENIX_CONTROL_URL', src.controlUrl!),
      timeoutSeconds: r.seconds('PHOENIX_VALIDATION_HTTP_TIMEOUT_SECONDS', src.timeoutSeconds),
    },
    runner: {
      sampleIntervalSeconds: r.seconds('PHOENIX_VALIDATION_SAMPLE_INTERVAL_SECONDS', run.sampleIntervalSeconds),
      probeIntervalSeconds: r.seconds('PHOENIX_VALIDATION_PROBE_INTERVAL_SECONDS', run.probeIntervalSeconds),
      minWallIntervalSeconds: r.seconds('PHOENIX_VALIDATION_MIN_WALL_INTERVAL_SECONDS', run.minWallIntervalSeconds),
      recallTopN: r.int('PHOENIX_VALIDATION_RECALL_TOP_N', run.recallTopN),
      recallMinAgeSeconds: r.seconds('PHOENIX_VALIDATION_RECALL_MIN_AGE_SECONDS', run.recallMinAgeSeconds),
      flapWindowSeconds: r.seconds('PHOENIX_VALIDATION_FLAP_WINDOW_SECONDS', run.flapWindowSeconds),
      settlingTolerance: r.num('PHOENIX_VALIDATION_SETTLING_TOLERANCE', run.settlingTolerance),
      settlingHoldSeconds: r.seconds('PHOENIX_VALIDATION_SETTLING_HOLD_SECONDS', run.settlingHoldSeconds),
      loadUpdateMinSeconds: r.seconds('PHOENIX_VALIDATION_LOAD_UPDATE_MIN_SECONDS', run.loadUpdateMinSeconds),
      stopLoadAtEnd: r.bool('PHOENIX_VALIDATION_STOP_LOAD', run.stopLoadAtEnd),
      fallbackTargetSeries: r.int('PHOENIX_TARGET_SERIES', run.fallbackTargetSeries),
    },
    cost: {
      currency: r.str('PHOENIX_PRICE_CURRENCY') ?? cost.currency,
      pricePerSeriesMonth: r.num('PHOENIX_PRICE_PER_SERIES_MONTH', cost.pricePerSeriesMonth),
      pricePerMillionSamples: r.num('PHOENIX_PRICE_PER_MILLION_SAMPLES', cost.pricePerMillionSamples),
      scrapeIntervalSeconds: r.seconds('PHOENIX_COST_SCRAPE_INTERVAL_SECONDS', cost.scrapeIntervalSeconds),
    },
    api: {
      ...api,
      listDefaultLimit: r.int('PHOENIX_VALIDATION_LIST_DEFAULT_LIMIT', defaultApiConfig.listDefaultLimit),
      listMaxLimit: r.int('PHOENIX_VALIDATION_LIST_MAX_LIMIT', defaultApiConfig.listMaxLimit),
    },
  };
  if (r.errors.length > 0) return { config, errors: r.errors };
  return { config, errors: validateConfig(config) };
}

/** Validates every section; each message starts with the config key, followed by its environment variable. */
export function validateConfig(c: ValidationServiceConfig): string[] {
  const e = new ConfigErrors(ENV);
  e.nonEmpty('dataDir', c.dataDir);
  e.nonEmpty('environment', c.environment);
  e.nonEmpty('catalogPath', c.catalogPath);
  e.nonEmpty('profilesDir', c.profilesDir);
  e.nonEmpty('dbPath', c.dbPath);
  e.nonEmpty('reportDir', c.reportDir);
  e.addAll(validateSourcesConfig(c.sources));
  e.addAll(validateRunnerConfig(c.runner));
  e.addAll(validateCostConfig(c.cost));
  e.addAll(validateApiConfig(c.api));
  return [...new Set(e.messages)];
}
