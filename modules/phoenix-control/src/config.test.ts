import { leafKeys } from '@phoenix/testkit';
import { defaultActuatorConfig } from './actuator/config';
import { defaultApiConfig } from './api/config';
import { ENV, loadConfig, type ControlServiceConfig } from './config';
import { defaultControllerConfig } from './controller/config';
import { defaultHistoryConfig } from './history/config';
import { defaultObserverConfig } from './observer/config';

/** The service's defaults are its components' (their values are asserted in each component's config test). */
const DEFAULTS: ControlServiceConfig = {
  dataDir: './data',
  logLevel: 'info',
  observer: { ...defaultObserverConfig, prometheusUrl: undefined },
  controller: defaultControllerConfig,
  actuator: defaultActuatorConfig,
  controlFile: { path: 'data/optimization_mode.yaml' },
  history: { path: 'data/control_history.sqlite', maxRows: defaultHistoryConfig.maxRows },
  api: { ...defaultApiConfig, token: undefined },
};

/** For every config key: an environment with a bad value for it, and the exact messages. */
const BAD: Record<string, [Record<string, string>, string[]]> = {
  logLevel: [{ PHOENIX_LOG_LEVEL: 'loud' }, ['PHOENIX_LOG_LEVEL: must be one of debug, info, warn, error (got "loud")']],
  'observer.coreUrl': [{ PHOENIX_CORE_URL: 'core:8891' }, ['observer.coreUrl (PHOENIX_CORE_URL): must be an http(s) URL (got core:8891)']],
  'observer.prometheusUrl': [{ PROMETHEUS_URL: 'not a url' }, ['observer.prometheusUrl (PROMETHEUS_URL): must be a URL (got "not a url")']],
  'observer.prometheusSelector': [{ PHOENIX_PROMETHEUS_SELECTOR: '{job="x"}' }, ['observer.prometheusSelector (PHOENIX_PROMETHEUS_SELECTOR): give label matchers only, without braces (e.g. job="phoenix-core")']],
  'observer.intervalSeconds': [{ PHOENIX_OBSERVER_INTERVAL_SECONDS: '0' }, ['observer.intervalSeconds (PHOENIX_OBSERVER_INTERVAL_SECONDS): must be > 0 (got 0)']],
  'observer.timeoutSeconds': [{ PHOENIX_OBSERVER_TIMEOUT_SECONDS: '301' }, ['observer.timeoutSeconds (PHOENIX_OBSERVER_TIMEOUT_SECONDS): must be <= 300 (got 301)']],
  'observer.staleAfterSeconds': [
    { PHOENIX_OBSERVER_STALE_AFTER_SECONDS: '10' },
    ['observer.staleAfterSeconds (PHOENIX_OBSERVER_STALE_AFTER_SECONDS): must be >= observer.intervalSeconds (15), or every reading is stale'],
  ],
  'observer.port': [{ PHOENIX_OBSERVER_PORT: '70000' }, ['observer.port (PHOENIX_OBSERVER_PORT): must be <= 65535 (got 70000)']],
  // one variable for every listener of the service: the refusal is the API's (the observer serves /metrics only)
  'observer.bindAddress': [
    { PHOENIX_BIND_ADDRESS: '0.0.0.0' },
    ['api.bindAddress (PHOENIX_BIND_ADDRESS): refusing to bind the control API to non-loopback 0.0.0.0 without a token: set PHOENIX_API_TOKEN, or PHOENIX_ALLOW_INSECURE=true to allow it'],
  ],
  'controller.intervalSeconds': [
    { PHOENIX_CONTROL_INTERVAL_SECONDS: '0' },
    ['controller.intervalSeconds (PHOENIX_CONTROL_INTERVAL_SECONDS): must be > 0 (got 0)', 'actuator.intervalSeconds (PHOENIX_CONTROL_INTERVAL_SECONDS): must be > 0 (got 0)'],
  ],
  'actuator.intervalSeconds': [
    { PHOENIX_CONTROL_INTERVAL_SECONDS: '3601' },
    ['controller.intervalSeconds (PHOENIX_CONTROL_INTERVAL_SECONDS): must be <= 3600 (got 3601)', 'actuator.intervalSeconds (PHOENIX_CONTROL_INTERVAL_SECONDS): must be <= 3600 (got 3601)'],
  ],
  'actuator.targetSeries': [{ PHOENIX_TARGET_SERIES: '0' }, ['actuator.targetSeries (PHOENIX_TARGET_SERIES): must be >= 1 (got 0)']],
  'actuator.headroom': [{ PHOENIX_CONTROL_HEADROOM: '0.95' }, ['actuator.headroom (PHOENIX_CONTROL_HEADROOM): must be <= 0.9 (got 0.95)']],
  'actuator.hysteresis': [{ PHOENIX_CONTROL_HYSTERESIS: '-0.1' }, ['actuator.hysteresis (PHOENIX_CONTROL_HYSTERESIS): must be >= 0 (got -0.1)']],
  'actuator.dwellSeconds': [{ PHOENIX_CONTROL_DWELL_SECONDS: '25h' }, ['actuator.dwellSeconds (PHOENIX_CONTROL_DWELL_SECONDS): must be <= 86400 (got 90000)']],
  'actuator.maxKpiAgeSeconds': [{ PHOENIX_CONTROL_MAX_KPI_AGE_SECONDS: '0' }, ['actuator.maxKpiAgeSeconds (PHOENIX_CONTROL_MAX_KPI_AGE_SECONDS): must be > 0 (got 0)']],
  'actuator.stabilityWindowSeconds': [{ PHOENIX_CONTROL_STABILITY_WINDOW_SECONDS: '0' }, ['actuator.stabilityWindowSeconds (PHOENIX_CONTROL_STABILITY_WINDOW_SECONDS): must be > 0 (got 0)']],
  'actuator.pid.kp': [{ PHOENIX_PID_KP: '-1' }, ['actuator.pid.kp (PHOENIX_PID_KP): must be >= 0 (got -1)']],
  'actuator.pid.ki': [{ PHOENIX_PID_KI: '-1' }, ['actuator.pid.ki (PHOENIX_PID_KI): must be >= 0 (got -1)']],
  'actuator.pid.kd': [{ PHOENIX_PID_KD: '-1' }, ['actuator.pid.kd (PHOENIX_PID_KD): must be >= 0 (got -1)']],
  'actuator.pid.integralMin': [{ PHOENIX_PID_INTEGRAL_MIN: '0.1' }, ['actuator.pid.integralMin (PHOENIX_PID_INTEGRAL_MIN): must be <= 0 (got 0.1)']],
  'actuator.pid.integralMax': [{ PHOENIX_PID_INTEGRAL_MAX: '-0.1' }, ['actuator.pid.integralMax (PHOENIX_PID_INTEGRAL_MAX): must be >= 0 (got -0.1)']],
  'actuator.pid.outputMin': [{ PHOENIX_PID_OUTPUT_MIN: '-1' }, ['actuator.pid.outputMin (PHOENIX_PID_OUTPUT_MIN): must be >= -0.9 (got -1)']],
  'actuator.pid.outputMax': [{ PHOENIX_PID_OUTPUT_MAX: '1' }, ['actuator.pid.outputMax (PHOENIX_PID_OUTPUT_MAX): must be <= 0.95 (got 1)']],
  'actuator.topk.minK': [{ PHOENIX_TOPK_MIN_K: '0' }, ['actuator.topk.minK (PHOENIX_TOPK_MIN_K): must be >= 1 (got 0)']],
  'actuator.topk.maxK': [{ PHOENIX_TOPK_MAX_K: '100001' }, ['actuator.topk.maxK (PHOENIX_TOPK_MAX_K): must be <= 100000 (got 100001)']],
  'actuator.topk.initialK': [
    { PHOENIX_TOPK_INITIAL_K: '0' },
    ['actuator.topk.initialK (PHOENIX_TOPK_INITIAL_K): must be >= 1 (got 0)', 'actuator.topk.initialK (PHOENIX_TOPK_INITIAL_K): must be within [actuator.topk.minK, actuator.topk.maxK]'],
  ],
  'actuator.topk.deadband': [{ PHOENIX_TOPK_K_DEADBAND: '0.6' }, ['actuator.topk.deadband (PHOENIX_TOPK_K_DEADBAND): must be <= 0.5 (got 0.6)']],
  'controlFile.path': [{ PHOENIX_CONTROL_FILE: 'state/' }, ['controlFile.path (PHOENIX_CONTROL_FILE): must name a file, not a directory (got state/)']],
  'history.maxRows': [{ PHOENIX_CONTROL_HISTORY_MAX_ROWS: '5' }, ['history.maxRows (PHOENIX_CONTROL_HISTORY_MAX_ROWS): must be >= 10 (got 5)']],
  'api.port': [{ PHOENIX_CONTROL_API_PORT: '70000' }, ['api.port (PHOENIX_CONTROL_API_PORT): must be <= 65535 (got 70000)']],
  'api.bindAddress': [
    { PHOENIX_BIND_ADDRESS: '10.0.0.1' },
    ['api.bindAddress (PHOENIX_BIND_ADDRESS): refusing to bind the control API to non-loopback 10.0.0.1 without a token: set PHOENIX_API_TOKEN, or PHOENIX_ALLOW_INSECURE=true to allow it'],
  ],
  'api.token': [{ PHOENIX_API_TOKEN: 'fifteen-chars--' }, ['api.token (PHOENIX_API_TOKEN): must be at least 16 characters when set']],
  'api.allowInsecure': [{ PHOENIX_ALLOW_INSECURE: 'maybe' }, ['PHOENIX_ALLOW_INSECURE: must be true or false (1/0, yes/no, on/off; got "maybe")']],
  'api.bodyLimitBytes': [{ PHOENIX_CONTROL_API_BODY_LIMIT_BYTES: '255' }, ['api.bodyLimitBytes (PHOENIX_CONTROL_API_BODY_LIMIT_BYTES): must be >= 256 (got 255)']],
  'api.rateLimitPerMinute': [{ PHOENIX_CONTROL_API_RATE_LIMIT_PER_MINUTE: '0' }, ['api.rateLimitPerMinute (PHOENIX_CONTROL_API_RATE_LIMIT_PER_MINUTE): must be >= 1 (got 0)']],
  'api.historyDefaultLimit': [{ PHOENIX_CONTROL_HISTORY_DEFAULT_LIMIT: '1001' }, ['api.historyDefaultLimit (PHOENIX_CONTROL_HISTORY_DEFAULT_LIMIT): must be <= 1000 (got 1001)']],
  'api.historyMaxLimit': [{ PHOENIX_CONTROL_HISTORY_MAX_LIMIT: '1001' }, ['api.historyMaxLimit (PHOENIX_CONTROL_HISTORY_MAX_LIMIT): must be <= 1000 (got 1001)']],
};

/** Keys for which no value of their variable is wrong: any path is a path. */
const ANY_VALUE = ['dataDir', 'history.path'];

describe('loadConfig (environment -> config)', () => {
  it('defaults: every key', () => {
    expect(loadConfig({})).toEqual({ config: DEFAULTS, errors: [] });
  });

  it('reads every variable, with the runtime parsers (durations with units, sizes, booleans)', () => {
    const { config, errors } = loadConfig({
      PHOENIX_DATA_DIR: '/srv/phoenix',
      PHOENIX_LOG_LEVEL: 'debug',
      PHOENIX_CORE_URL: 'http://core:8891',
      PROMETHEUS_URL: 'http://prom:9090',
      PHOENIX_PROMETHEUS_SELECTOR: 'job="phoenix-core"',
      PHOENIX_OBSERVER_INTERVAL_SECONDS: '5',
      PHOENIX_OBSERVER_TIMEOUT_SECONDS: '1500ms',
      PHOENIX_OBSERVER_STALE_AFTER_SECONDS: '20',
      PHOENIX_OBSERVER_PORT: '19888',
      PHOENIX_BIND_ADDRESS: '0.0.0.0',
      PHOENIX_CONTROL_INTERVAL_SECONDS: '10',
      PHOENIX_TARGET_SERIES: '5000',
      PHOENIX_CONTROL_HEADROOM: '0.1',
      PHOENIX_CONTROL_HYSTERESIS: '0.2',
      PHOENIX_CONTROL_DWELL_SECONDS: '2m',
      PHOENIX_CONTROL_MAX_KPI_AGE_SECONDS: '30',
      PHOENIX_CONTROL_STABILITY_WINDOW_SECONDS: '1h',
      PHOENIX_PID_KP: '0.7',
      PHOENIX_PID_KI: '0.03',
      PHOENIX_PID_KD: '1',
      PHOENIX_PID_INTEGRAL_MIN: '-0.2',
      PHOENIX_PID_INTEGRAL_MAX: '0.4',
      PHOENIX_PID_OUTPUT_MIN: '-0.2',
      PHOENIX_PID_OUTPUT_MAX: '0.5',
      PHOENIX_TOPK_MIN_K: '2',
      PHOENIX_TOPK_MAX_K: '500',
      PHOENIX_TOPK_INITIAL_K: '30',
      PHOENIX_TOPK_K_DEADBAND: '0.05',
      PHOENIX_CONTROL_FILE: '/etc/phoenix/mode.yaml',
      PHOENIX_CONTROL_HISTORY_DB: '/var/lib/phoenix/history.sqlite',
      PHOENIX_CONTROL_HISTORY_MAX_ROWS: '500',
      PHOENIX_CONTROL_API_PORT: '18080',
      PHOENIX_API_TOKEN: 'a-long-enough-token-1234',
      PHOENIX_ALLOW_INSECURE: 'yes',
      PHOENIX_CONTROL_API_BODY_LIMIT_BYTES: '32KiB',
      PHOENIX_CONTROL_API_RATE_LIMIT_PER_MINUTE: '60',
      PHOENIX_CONTROL_HISTORY_DEFAULT_LIMIT: '20',
      PHOENIX_CONTROL_HISTORY_MAX_LIMIT: '200',
    });
    expect(errors).toEqual([]);
    expect(config).toEqual({
      dataDir: '/srv/phoenix',
      logLevel: 'debug',
      observer: { coreUrl: 'http://core:8891', prometheusUrl: 'http://prom:9090', prometheusSelector: 'job="phoenix-core"', intervalSeconds: 5, timeoutSeconds: 1.5, staleAfterSeconds: 20, port: 19888, bindAddress: '0.0.0.0' },
      controller: { intervalSeconds: 10 },
      actuator: {
        targetSeries: 5000,
        headroom: 0.1,
        hysteresis: 0.2,
        dwellSeconds: 120,
        intervalSeconds: 10,
        maxKpiAgeSeconds: 30,
        stabilityWindowSeconds: 3600,
        pid: { kp: 0.7, ki: 0.03, kd: 1, integralMin: -0.2, integralMax: 0.4, outputMin: -0.2, outputMax: 0.5 },
        topk: { minK: 2, maxK: 500, initialK: 30, deadband: 0.05 },
      },
      controlFile: { path: '/etc/phoenix/mode.yaml' },
      history: { path: '/var/lib/phoenix/history.sqlite', maxRows: 500 },
      api: { port: 18080, bindAddress: '0.0.0.0', token: 'a-long-enough-token-1234', allowInsecure: true, bodyLimitBytes: 32768, rateLimitPerMinute: 60, historyDefaultLimit: 20, historyMaxLimit: 200 },
    });
  });

  it('the range checks between keys: min k above the initial k', () => {
    expect(loadConfig({ PHOENIX_TOPK_MIN_K: '30' }).errors).toEqual(['actuator.topk.initialK (PHOENIX_TOPK_INITIAL_K): must be within [actuator.topk.minK, actuator.topk.maxK]']);
    expect(loadConfig({ PHOENIX_TOPK_MIN_K: '30', PHOENIX_TOPK_MAX_K: '20' }).errors).toEqual(['actuator.topk.minK (PHOENIX_TOPK_MIN_K): must be <= actuator.topk.maxK (20)', 'actuator.topk.initialK (PHOENIX_TOPK_INITIAL_K): must be within [actuator.topk.minK, actuator.topk.maxK]']);
    expect(loadConfig({ PHOENIX_PID_INTEGRAL_MIN: '-0.1', PHOENIX_PID_INTEGRAL_MAX: '-0.2' }).errors).toEqual([
      'actuator.pid.integralMin (PHOENIX_PID_INTEGRAL_MIN): must be <= actuator.pid.integralMax',
      'actuator.pid.integralMax (PHOENIX_PID_INTEGRAL_MAX): must be >= 0 (got -0.2)',
    ]);
  });

  it('derived defaults: stale after 3 intervals, the KPI age limit from it, the timeout within the interval, paths under the data dir', () => {
    const { config } = loadConfig({ PHOENIX_OBSERVER_INTERVAL_SECONDS: '0.2', PHOENIX_DATA_DIR: '/d' });
    expect([config.observer.staleAfterSeconds, config.actuator.maxKpiAgeSeconds, config.observer.timeoutSeconds]).toEqual([1, 1, 0.5]);
    expect([config.controlFile.path, config.history.path]).toEqual(['/d/optimization_mode.yaml', '/d/control_history.sqlite']);
  });

  it.each(Object.entries(BAD))('a bad %s: the exact messages', (_key, [env, messages]) => {
    expect(loadConfig(env).errors).toEqual(messages);
  });

  it('a value that does not parse names its variable, one parser per kind', () => {
    expect(loadConfig({ PHOENIX_OBSERVER_PORT: 'abc' }).errors).toEqual(['PHOENIX_OBSERVER_PORT: must be an integer (got "abc")']);
    expect(loadConfig({ PHOENIX_TARGET_SERIES: '1.5' }).errors).toEqual(['PHOENIX_TARGET_SERIES: must be an integer (got "1.5")']);
    expect(loadConfig({ PHOENIX_PID_KP: 'strong' }).errors).toEqual(['PHOENIX_PID_KP: must be a number (got "strong")']);
    expect(loadConfig({ PHOENIX_CONTROL_DWELL_SECONDS: 'soon' }).errors).toEqual(['PHOENIX_CONTROL_DWELL_SECONDS: must be a duration such as 30, 500ms, 2m (got "soon")']);
    expect(loadConfig({ PHOENIX_CONTROL_API_BODY_LIMIT_BYTES: 'big' }).errors).toEqual(['PHOENIX_CONTROL_API_BODY_LIMIT_BYTES: must be a size in bytes such as 16384, 16KiB, 1MB (got "big")']);
  });

  it('the observer and the API cannot share a port', () => {
    expect(loadConfig({ PHOENIX_OBSERVER_PORT: '8080' }).errors).toEqual(['observer.port (PHOENIX_OBSERVER_PORT): must differ from api.port (8080)']);
  });

  it('ENV names a variable for every config key, and every key has a bad-value case', () => {
    expect(Object.keys(ENV).sort()).toEqual(leafKeys(DEFAULTS).sort());
    expect([...Object.keys(BAD), ...ANY_VALUE].sort()).toEqual(Object.keys(ENV).sort());
    for (const v of Object.values(ENV)) expect(v).toMatch(/^(PHOENIX_[A-Z_]+|PROMETHEUS_URL)$/);
  });
});
