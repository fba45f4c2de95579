import { leafKeys } from '@phoenix/testkit';
import { defaultCatalogPath, defaultProfilesDir } from './catalog/catalog';
import { defaultCostConfig } from './analyzers/costConfig';
import { defaultApiConfig } from './api/config';
import { ENV, loadConfig, type ValidationServiceConfig } from './config';
import { defaultRunnerConfig } from './runner/config';
import { defaultSourcesConfig } from './sources/config';

/** The service's defaults: its components' (their values are asserted in each component's config test) and its paths. */
const DEFAULTS: ValidationServiceConfig = {
  dataDir: './data',
  logLevel: 'info',
  environment: 'development',
  catalogPath: defaultCatalogPath(),
  profilesDir: defaultProfilesDir(),
  dbPath: 'data/validation.sqlite',
  reportDir: 'data/reports',
  token: undefined,
  sources: { ...defaultSourcesConfig, prometheusUrl: undefined },
  runner: defaultRunnerConfig,
  cost: defaultCostConfig,
  api: { ...defaultApiConfig, token: undefined },
};

const TOKEN_SHORT = 'api.token (PHOENIX_API_TOKEN): must be at least 16 characters when set';

/** For every config key: an environment with a bad value for it, and the exact messages. */
const BAD: Record<string, [Record<string, string>, string[]]> = {
  logLevel: [{ PHOENIX_LOG_LEVEL: 'loud' }, ['PHOENIX_LOG_LEVEL: must be one of debug, info, warn, error (got "loud")']],
  // the token the generators are sent is the API's token: one variable, one check
  token: [{ PHOENIX_API_TOKEN: 'fifteen-chars--' }, [TOKEN_SHORT]],
  'sources.coreUrl': [{ PHOENIX_CORE_URL: 'core:8891' }, ['sources.coreUrl (PHOENIX_CORE_URL): must be an http(s) URL (got core:8891)']],
  'sources.fullFidelityUrl': [{ PHOENIX_FULL_FIDELITY_URL: 'nope' }, ['sources.fullFidelityUrl (PHOENIX_FULL_FIDELITY_URL): must be a URL (got "nope")']],
  'sources.experimentalTopkUrl': [{ PHOENIX_EXPERIMENTAL_TOPK_URL: 'nope' }, ['sources.experimentalTopkUrl (PHOENIX_EXPERIMENTAL_TOPK_URL): must be a URL (got "nope")']],
  'sources.activeUrl': [{ PHOENIX_ACTIVE_URL: 'nope' }, ['sources.activeUrl (PHOENIX_ACTIVE_URL): must be a URL (got "nope")']],
  'sources.observerUrl': [{ PHOENIX_OBSERVER_URL: 'ftp://observer' }, ['sources.observerUrl (PHOENIX_OBSERVER_URL): must be an http(s) URL (got ftp://observer)']],
  'sources.prometheusUrl': [{ PROMETHEUS_URL: 'ftp://prometheus' }, ['sources.prometheusUrl (PROMETHEUS_URL): must be an http(s) URL (got ftp://prometheus)']],
  'sources.prometheusSelector': [
    { PHOENIX_PROMETHEUS_SELECTOR: '{job="x"}' },
    ['sources.prometheusSelector (PHOENIX_PROMETHEUS_SELECTOR): give label matchers only, without braces (e.g. job="phoenix-core")'],
  ],
  'sources.generatorsUrl': [{ PHOENIX_GENERATORS_URL: 'ftp://x' }, ['sources.generatorsUrl (PHOENIX_GENERATORS_URL): must be an http(s) URL (got ftp://x)']],
  'sources.controlUrl': [{ PHOENIX_CONTROL_URL: 'control' }, ['sources.controlUrl (PHOENIX_CONTROL_URL): must be a URL (got "control")']],
  'sources.timeoutSeconds': [{ PHOENIX_VALIDATION_HTTP_TIMEOUT_SECONDS: '0' }, ['sources.timeoutSeconds (PHOENIX_VALIDATION_HTTP_TIMEOUT_SECONDS): must be > 0 (got 0)']],
  'runner.sampleIntervalSeconds': [{ PHOENIX_VALIDATION_SAMPLE_INTERVAL_SECONDS: '0' }, ['runner.sampleIntervalSeconds (PHOENIX_VALIDATION_SAMPLE_INTERVAL_SECONDS): must be > 0 (got 0)']],
  'runner.probeIntervalSeconds': [{ PHOENIX_VALIDATION_PROBE_INTERVAL_SECONDS: '25h' }, ['runner.probeIntervalSeconds (PHOENIX_VALIDATION_PROBE_INTERVAL_SECONDS): must be <= 86400 (got 90000)']],
  'runner.minWallIntervalSeconds': [{ PHOENIX_VALIDATION_MIN_WALL_INTERVAL_SECONDS: '10ms' }, ['runner.minWallIntervalSeconds (PHOENIX_VALIDATION_MIN_WALL_INTERVAL_SECONDS): must be >= 0.05 (got 0.01)']],
  'runner.recallTopN': [{ PHOENIX_VALIDATION_RECALL_TOP_N: '11' }, ['runner.recallTopN (PHOENIX_VALIDATION_RECALL_TOP_N): must be <= 10 (got 11)']],
  'runner.recallMinAgeSeconds': [{ PHOENIX_VALIDATION_RECALL_MIN_AGE_SECONDS: '25h' }, ['runner.recallMinAgeSeconds (PHOENIX_VALIDATION_RECALL_MIN_AGE_SECONDS): must be <= 86400 (got 90000)']],
  'runner.flapWindowSeconds': [{ PHOENIX_VALIDATION_FLAP_WINDOW_SECONDS: '25h' }, ['runner.flapWindowSeconds (PHOENIX_VALIDATION_FLAP_WINDOW_SECONDS): must be <= 86400 (got 90000)']],
  'runner.settlingTolerance': [{ PHOENIX_VALIDATION_SETTLING_TOLERANCE: '1.5' }, ['runner.settlingTolerance (PHOENIX_VALIDATION_SETTLING_TOLERANCE): must be <= 1 (got 1.5)']],
  'runner.settlingHoldSeconds': [{ PHOENIX_VALIDATION_SETTLING_HOLD_SECONDS: '25h' }, ['runner.settlingHoldSeconds (PHOENIX_VALIDATION_SETTLING_HOLD_SECONDS): must be <= 86400 (got 90000)']],
  'runner.loadUpdateMinSeconds': [{ PHOENIX_VALIDATION_LOAD_UPDATE_MIN_SECONDS: '2h' }, ['runner.loadUpdateMinSeconds (PHOENIX_VALIDATION_LOAD_UPDATE_MIN_SECONDS): must be <= 3600 (got 7200)']],
  'runner.stopLoadAtEnd': [{ PHOENIX_VALIDATION_STOP_LOAD: 'perhaps' }, ['PHOENIX_VALIDATION_STOP_LOAD: must be true or false (1/0, yes/no, on/off; got "perhaps")']],
  'runner.fallbackTargetSeries': [{ PHOENIX_TARGET_SERIES: '0' }, ['runner.fallbackTargetSeries (PHOENIX_TARGET_SERIES): must be >= 1 (got 0)']],
  'cost.pricePerSeriesMonth': [{ PHOENIX_PRICE_PER_SERIES_MONTH: '-1' }, ['cost.pricePerSeriesMonth (PHOENIX_PRICE_PER_SERIES_MONTH): must be >= 0 (got -1)']],
  'cost.pricePerMillionSamples': [{ PHOENIX_PRICE_PER_MILLION_SAMPLES: '-0.1' }, ['cost.pricePerMillionSamples (PHOENIX_PRICE_PER_MILLION_SAMPLES): must be >= 0 (got -0.1)']],
  'cost.scrapeIntervalSeconds': [{ PHOENIX_COST_SCRAPE_INTERVAL_SECONDS: '0' }, ['cost.scrapeIntervalSeconds (PHOENIX_COST_SCRAPE_INTERVAL_SECONDS): must be > 0 (got 0)']],
  'api.port': [{ PHOENIX_VALIDATION_PORT: '70000' }, ['api.port (PHOENIX_VALIDATION_PORT): must be <= 65535 (got 70000)']],
  'api.bindAddress': [
    { PHOENIX_BIND_ADDRESS: '0.0.0.0' },
    ['api.bindAddress (PHOENIX_BIND_ADDRESS): refusing to bind the benchmark API to non-loopback 0.0.0.0 without a token: set PHOENIX_API_TOKEN, or PHOENIX_ALLOW_INSECURE=true to allow it'],
  ],
  'api.token': [{ PHOENIX_API_TOKEN: 'short' }, [TOKEN_SHORT]],
  'api.allowInsecure': [{ PHOENIX_ALLOW_INSECURE: 'maybe' }, ['PHOENIX_ALLOW_INSECURE: must be true or false (1/0, yes/no, on/off; got "maybe")']],
  'api.bodyLimitBytes': [{ PHOENIX_VALIDATION_API_BODY_LIMIT_BYTES: '17MiB' }, ['api.bodyLimitBytes (PHOENIX_VALIDATION_API_BODY_LIMIT_BYTES): must be <= 16777216 (got 17825792)']],
  'api.rateLimitPerMinute': [{ PHOENIX_VALIDATION_API_RATE_LIMIT_PER_MINUTE: '0' }, ['api.rateLimitPerMinute (PHOENIX_VALIDATION_API_RATE_LIMIT_PER_MINUTE): must be >= 1 (got 0)']],
  'api.listDefaultLimit': [{ PHOENIX_VALIDATION_LIST_DEFAULT_LIMIT: '1001' }, ['api.listDefaultLimit (PHOENIX_VALIDATION_LIST_DEFAULT_LIMIT): must be <= 1000 (got 1001)']],
  'api.listMaxLimit': [{ PHOENIX_VALIDATION_LIST_MAX_LIMIT: '1001' }, ['api.listMaxLimit (PHOENIX_VALIDATION_LIST_MAX_LIMIT): must be <= 1000 (got 1001)']],
};

/** Keys for which no value of their variable is wrong (any path, name or currency a variable can hold is valid). */
const ANY_VALUE = ['dataDir', 'environment', 'catalogPath', 'profilesDir', 'dbPath', 'reportDir', 'cost.currency'];

describe('configuration from the environment', () => {
  it('defaults: every key (port 8083, loopback, the stack on its default ports, direct scrape, prices)', () => {
    expect(loadConfig({})).toEqual({ config: DEFAULTS, errors: [] });
  });

  it('reads every variable, with the runtime parsers (durations with units, sizes, booleans)', () => {
    const { config, errors } = loadConfig({
      PHOENIX_DATA_DIR: '/srv/v',
      PHOENIX_LOG_LEVEL: 'warn',
      PHOENIX_ENV: 'production',
      PHOENIX_VALIDATION_CATALOG: '/etc/catalog.yaml',
      PHOENIX_GENERATORS_PROFILES_DIR: '/etc/profiles',
      PHOENIX_VALIDATION_DB: '/var/v.sqlite',
      PHOENIX_VALIDATION_REPORT_DIR: '/var/reports',
      PHOENIX_API_TOKEN: 'a-token-of-sixteen-chars',
      PHOENIX_CORE_URL: 'http://core:8891',
      PHOENIX_FULL_FIDELITY_URL: 'http://ff:1/metrics',
      PHOENIX_EXPERIMENTAL_TOPK_URL: 'http://topk:2/metrics',
      PHOENIX_ACTIVE_URL: 'http://active:3/metrics',
      PHOENIX_OBSERVER_URL: 'http://observer:9888',
      PROMETHEUS_URL: 'http://prometheus:9090',
      PHOENIX_PROMETHEUS_SELECTOR: 'job="phoenix-core"',
      PHOENIX_GENERATORS_URL: 'http://generators:8082',
      PHOENIX_CONTROL_URL: 'http://control:8080',
      PHOENIX_VALIDATION_HTTP_TIMEOUT_SECONDS: '2500ms',
      PHOENIX_VALIDATION_SAMPLE_INTERVAL_SECONDS: '2',
      PHOENIX_VALIDATION_PROBE_INTERVAL_SECONDS: '1m',
      PHOENIX_VALIDATION_MIN_WALL_INTERVAL_SECONDS: '100ms',
      PHOENIX_VALIDATION_RECALL_TOP_N: '5',
      PHOENIX_VALIDATION_RECALL_MIN_AGE_SECONDS: '10',
      PHOENIX_VALIDATION_FLAP_WINDOW_SECONDS: '2m',
      PHOENIX_VALIDATION_SETTLING_TOLERANCE: '0.1',
      PHOENIX_VALIDATION_SETTLING_HOLD_SECONDS: '30',
      PHOENIX_VALIDATION_LOAD_UPDATE_MIN_SECONDS: '2',
      PHOENIX_VALIDATION_STOP_LOAD: 'off',
      PHOENIX_TARGET_SERIES: '3000',
      PHOENIX_PRICE_CURRENCY: 'EUR',
      PHOENIX_PRICE_PER_SERIES_MONTH: '0.2',
      PHOENIX_PRICE_PER_MILLION_SAMPLES: '0.3',
      PHOENIX_COST_SCRAPE_INTERVAL_SECONDS: '30s',
      PHOENIX_VALIDATION_PORT: '18083',
      PHOENIX_BIND_ADDRESS: '0.0.0.0',
      PHOENIX_ALLOW_INSECURE: '1',
      PHOENIX_VALIDATION_API_BODY_LIMIT_BYTES: '64KiB',
      PHOENIX_VALIDATION_API_RATE_LIMIT_PER_MINUTE: '10',
      PHOENIX_VALIDATION_LIST_DEFAULT_LIMIT: '20',
      PHOENIX_VALIDATION_LIST_MAX_LIMIT: '100',
    });
    expect(errors).toEqual([]);
    const token = 'a-token-of-sixteen-chars';
    expect(config).toEqual({
      dataDir: '/srv/v',
      logLevel: 'warn',
      environment: 'production',
      catalogPath: '/etc/catalog.yaml',
      profilesDir: '/etc/profiles',
      dbPath: '/var/v.sqlite',
      reportDir: '/var/reports',
      token,
      sources: {
        coreUrl: 'http://core:8891',
        fullFidelityUrl: 'http://ff:1/metrics',
        experimentalTopkUrl: 'http://topk:2/metrics',
        activeUrl: 'http://active:3/metrics',
        observerUrl: 'http://observer:9888',
        prometheusUrl: 'http://prometheus:9090',
        prometheusSelector: 'job="phoenix-core"',
        generatorsUrl: 'http://generators:8082',
        controlUrl: 'http://control:8080',
        timeoutSeconds: 2.5,
      },
      runner: {
        sampleIntervalSeconds: 2,
        probeIntervalSeconds: 60,
        minWallIntervalSeconds: 0.1,
        recallTopN: 5,
        recallMinAgeSeconds: 10,
        flapWindowSeconds: 120,
        settlingTolerance: 0.1,
        settlingHoldSeconds: 30,
        loadUpdateMinSeconds: 2,
        stopLoadAtEnd: false,
        fallbackTargetSeries: 3000,
      },
      cost: { currency: 'EUR', pricePerSeriesMonth: 0.2, pricePerMillionSamples: 0.3, scrapeIntervalSeconds: 30 },
      api: { port: 18083, bindAddress: '0.0.0.0', token, allowInsecure: true, bodyLimitBytes: 65536, rateLimitPerMinute: 10, listDefaultLimit: 20, listMaxLimit: 100 },
    });
  });

  it("the core's outputs default to the observatory's host with the PHOENIX_*_PORT ports; empty URLs switch optional readers off", () => {
    const { config } = loadConfig({
      PHOENIX_CORE_URL: 'http://phoenix-core:8891',
      PHOENIX_FULL_FIDELITY_PORT: '18888',
      PHOENIX_ACTIVE_URL: 'http://elsewhere:1/metrics',
      PHOENIX_CONTROL_URL: '',
      PHOENIX_OBSERVER_URL: '',
    });
    expect(config.sources).toMatchObject({
      fullFidelityUrl: 'http://phoenix-core:18888/metrics',
      experimentalTopkUrl: 'http://phoenix-core:8890/metrics',
      activeUrl: 'http://elsewhere:1/metrics',
    });
    expect(config.sources.controlUrl).toBeUndefined();
    expect(config.sources.observerUrl).toBeUndefined();
    expect(loadConfig({ PHOENIX_DATA_DIR: '/d' }).config).toMatchObject({ dbPath: '/d/validation.sqlite', reportDir: '/d/reports' });
  });

  it.each(Object.entries(BAD))('a bad %s: the exact messages', (_key, [env, messages]) => {
    expect(loadConfig(env).errors).toEqual(messages);
  });

  it('a value that does not parse names its variable, one parser per kind', () => {
    expect(loadConfig({ PHOENIX_VALIDATION_PORT: 'x' }).errors).toEqual(['PHOENIX_VALIDATION_PORT: must be an integer (got "x")']);
    expect(loadConfig({ PHOENIX_FULL_FIDELITY_PORT: '88.5' }).errors).toEqual(['PHOENIX_FULL_FIDELITY_PORT: must be an integer (got "88.5")']);
    expect(loadConfig({ PHOENIX_PRICE_PER_SERIES_MONTH: 'cheap' }).errors).toEqual(['PHOENIX_PRICE_PER_SERIES_MONTH: must be a number (got "cheap")']);
    expect(loadConfig({ PHOENIX_VALIDATION_SAMPLE_INTERVAL_SECONDS: 'often' }).errors).toEqual(['PHOENIX_VALIDATION_SAMPLE_INTERVAL_SECONDS: must be a duration such as 30, 500ms, 2m (got "often")']);
    expect(loadConfig({ PHOENIX_VALIDATION_API_BODY_LIMIT_BYTES: 'big' }).errors).toEqual(['PHOENIX_VALIDATION_API_BODY_LIMIT_BYTES: must be a size in bytes such as 16384, 16KiB, 1MB (got "big")']);
  });

  it('a non-loopback bind is allowed with a token or PHOENIX_ALLOW_INSECURE', () => {
    expect(loadConfig({ PHOENIX_BIND_ADDRESS: '0.0.0.0', PHOENIX_ALLOW_INSECURE: 'true' }).errors).toEqual([]);
    expect(loadConfig({ PHOENIX_BIND_ADDRESS: '0.0.0.0', PHOENIX_API_TOKEN: 'a-token-of-sixteen-chars' }).errors).toEqual([]);
  });

  it('ENV names a variable for every config key, and every key has a bad-value case', () => {
    expect(Object.keys(ENV).sort()).toEqual(leafKeys(DEFAULTS).sort());
    expect([...Object.keys(BAD), ...ANY_VALUE].sort()).toEqual(Object.keys(ENV).sort());
    for (const v of Object.values(ENV)) expect(v).toMatch(/^(PHOENIX_[A-Z_]+|PROMETHEUS_URL)$/);
  });
});
