import path from 'node:path';
import { defaultApiConfig, validateApiConfig, type ApiConfig } from './api/config';
import { defaultCatalogPath, defaultProfilesDir } from './catalog/catalog';
import { ConfigErrors, EnvReader, LOG_LEVELS, readRestApiConfig, restApiEnv, type Env, type LogLevel, type RestApiEnvNames } from '@phoenix/runtime';

/** Where the stack is and how to read it. */
export interface SourcesConfig {
  /** Base URL of the core's observatory (:8891). */
  coreUrl: string;
  /** full_fidelity (:8888), experimental_topk (:8890) and active output (:8892) endpoints, each a /metrics URL. */
  fullFidelityUrl: string;
  experimentalTopkUrl: string;
  activeUrl: string;
  /** phoenix-control's observer (:9888), for the ingest rate; undefined: not read. */
  observerUrl?: string;
  /** Prometheus HTTP API; set: KPIs come from Prometheus instead of a direct scrape. */
  prometheusUrl?: string;
  prometheusSelector: string;
  generatorsUrl: string;
  /** phoenix-control's API (:8080), for the reasons of the transitions; undefined: not read. */
  controlUrl?: string;
  timeoutSeconds: number;
}

/** How a run samples and judges. Intervals are scenario seconds (wall = x time_scale) unless named wall. */
export interface RunnerConfig {
  sampleIntervalSeconds: number;
  probeIntervalSeconds: number;
  /** Floor of the wall intervals of sampling and probing. */
  minWallIntervalSeconds: number;
  recallTopN: number;
  recallMinAgeSeconds: number;
  flapWindowSeconds: number;
  /** Share above the budget still counted as settled. */
  settlingTolerance: number;
  /** Scenario seconds the active output must hold within the band to count as settled. */
  settlingHoldSeconds: number;
  /** Least wall seconds between two load changes within a phase (the generators rate-limit their API). */
  loadUpdateMinSeconds: number;
  /** Stop the generators' load when a run ends. */
  stopLoadAtEnd: boolean;
  /** Budget assumed when the core does not report phoenix_control_target_series. */
  fallbackTargetSeries: number;
}

export interface CostConfig {
  currency: string;
  pricePerSeriesMonth: number;
  pricePerMillionSamples: number;
  scrapeIntervalSeconds: number;
}

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
  const coreUrl = r.str('PHOENIX_CORE_URL') ?? 'http://127.0.0.1:8891';
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
      observerUrl: r.optionalUrl('PHOENIX_OBSERVER_URL', 'http://127.0.0.1:9888'),
      prometheusUrl: r.str('PROMETHEUS_URL'),
      prometheusSelector: r.str('PHOENIX_PROMETHEUS_SELECTOR') ?? '',
      generatorsUrl: r.str('PHOENIX_GENERATORS_URL') ?? 'http://127.0.0.1:8082',
      controlUrl: r.optionalUrl('PHOENIX_CONTROL_URL', 'http://127.0.0.1:8080'),
      timeoutSeconds: r.seconds('PHOENIX_VALIDATION_HTTP_TIMEOUT_SECONDS', 10),
    },
    runner: {
      sampleIntervalSeconds: r.seconds('PHOENIX_VALIDATION_SAMPLE_INTERVAL_SECONDS', 5),
      probeIntervalSeconds: r.seconds('PHOENIX_VALIDATION_PROBE_INTERVAL_SECONDS', 30),
      minWallIntervalSeconds: r.seconds('PHOENIX_VALIDATION_MIN_WALL_INTERVAL_SECONDS', 0.25),
      recallTopN: r.int('PHOENIX_VALIDATION_RECALL_TOP_N', 10),
      recallMinAgeSeconds: r.seconds('PHOENIX_VALIDATION_RECALL_MIN_AGE_SECONDS', 25),
      flapWindowSeconds: r.seconds('PHOENIX_VALIDATION_FLAP_WINDOW_SECONDS', 60),
      settlingTolerance: r.num('PHOENIX_VALIDATION_SETTLING_TOLERANCE', 0.05),
      settlingHoldSeconds: r.seconds('PHOENIX_VALIDATION_SETTLING_HOLD_SECONDS', 60),
      loadUpdateMinSeconds: r.seconds('PHOENIX_VALIDATION_LOAD_UPDATE_MIN_SECONDS', 1.1),
      stopLoadAtEnd: r.bool('PHOENIX_VALIDATION_STOP_LOAD', true),
      fallbackTargetSeries: r.int('PHOENIX_TARGET_SERIES', 20000),
    },
    cost: {
      currency: r.str('PHOENIX_PRICE_CURRENCY') ?? 'USD',
      pricePerSeriesMonth: r.num('PHOENIX_PRICE_PER_SERIES_MONTH', 0.05),
      pricePerMillionSamples: r.num('PHOENIX_PRICE_PER_MILLION_SAMPLES', 0.1),
      scrapeIntervalSeconds: r.seconds('PHOENIX_COST_SCRAPE_INTERVAL_SECONDS', 15),
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
  const s = c.sources;
  e.url('sources.coreUrl', s.coreUrl);
  e.url('sources.fullFidelityUrl', s.fullFidelityUrl);
  e.url('sources.experimentalTopkUrl', s.experimentalTopkUrl);
  e.url('sources.activeUrl', s.activeUrl);
  e.url('sources.observerUrl', s.observerUrl, true);
  e.url('sources.prometheusUrl', s.prometheusUrl, true);
  e.url('sources.generatorsUrl', s.generatorsUrl);
  e.url('sources.controlUrl', s.controlUrl, true);
  e.number('sources.timeoutSeconds', s.timeoutSeconds, { min: 0, exclusiveMin: true, max: 300 });
  const rn = c.runner;
  e.number('runner.sampleIntervalSeconds', rn.sampleIntervalSeconds, { min: 0, exclusiveMin: true, max: 3600 });
  e.number('runner.probeIntervalSeconds', rn.probeIntervalSeconds, { min: 0, exclusiveMin: true, max: 86400 });
  e.number('runner.minWallIntervalSeconds', rn.minWallIntervalSeconds, { min: 0.05, max: 60 });
  e.number('runner.recallTopN', rn.recallTopN, { integer: true, min: 1, max: 10 });
  e.number('runner.recallMinAgeSeconds', rn.recallMinAgeSeconds, { min: 0, max: 86400 });
  e.number('runner.flapWindowSeconds', rn.flapWindowSeconds, { min: 0, max: 86400 });
  e.number('runner.settlingTolerance', rn.settlingTolerance, { min: 0, max: 1 });
  e.number('runner.settlingHoldSeconds', rn.settlingHoldSeconds, { min: 0, max: 86400 });
  e.number('runner.loadUpdateMinSeconds', rn.loadUpdateMinSeconds, { min: 0, max: 3600 });
  e.number('runner.fallbackTargetSeries', rn.fallbackTargetSeries, { integer: true, min: 1 });
  e.nonEmpty('cost.currency', c.cost.currency);
  e.number('cost.pricePerSeriesMonth', c.cost.pricePerSeriesMonth, { min: 0 });
  e.number('cost.pricePerMillionSamples', c.cost.pricePerMillionSamples, { min: 0 });
  e.number('cost.scrapeIntervalSeconds', c.cost.scrapeIntervalSeconds, { min: 0, exclusiveMin: true, max: 86400 });
  e.addAll(validateApiConfig(c.api));
  return [...new Set(e.messages)];
}
