import path from 'node:path';
import { ENV, loadConfig, packageFile, validateConfig } from './config';

const KEY = 'phx_0123456789ab_0123456789abcdef0123456789abcdef';
const base = { PHOENIX_AGENT_KEY: KEY };
const load = (env: Record<string, string> = {}) => loadConfig({ ...base, ...env }, { hostname: 'host-a' });

describe('loadConfig: defaults', () => {
  test('only PHOENIX_AGENT_KEY set: every key has its default', () => {
    const { config, errors } = load();
    expect(errors).toEqual([]);
    expect(config).toEqual({
      logLevel: 'info',
      dataDir: './data',
      stateDir: path.join('data', 'agent'),
      api: {
        url: 'http://127.0.0.1:8084',
        key: KEY,
        hostId: 'host-a',
        requestTimeoutSeconds: 10,
        pollWaitSeconds: 30,
        heartbeatIntervalSeconds: 10,
        backoffMaxSeconds: 60,
        authRetrySeconds: 60,
      },
      http: { port: 8085, bindAddress: '127.0.0.1' },
      core: {
        manage: false,
        url: 'http://127.0.0.1:8891',
        healthUrl: 'http://127.0.0.1:13133/health',
        otlpHttpUrl: 'http://127.0.0.1:4318',
        main: packageFile('@phoenix/core', 'dist/main.js'),
        metricsIntervalSeconds: 10,
        scrapeTimeoutSeconds: 5,
        healthIntervalSeconds: 5,
        restartMinSeconds: 0.5,
        restartMaxSeconds: 30,
        stopGraceSeconds: 10,
      },
      control: {
        manage: true,
        url: 'http://127.0.0.1:8080',
        urlExplicit: false,
        token: undefined,
        main: packageFile('@phoenix/control', 'dist/main.js'),
        file: path.join('data', 'optimization_mode.yaml'),
        defaultTargetSeries: 20000,
        requestTimeoutSeconds: 5,
      },
      push: { url: undefined, job: 'phoenix-agent', timeoutSeconds: 5 },
      outbox: { maxReports: 10000, maxSamples: 10000, maxLogLines: 20000, metricsBatch: 500, logsBatch: 1000 },
      tasks: { maxConcurrent: 4, journalMaxEntries: 1000 },
      generators: { cli: packageFile('@phoenix/generators', 'dist/cli/generateCli.js'), profilesDir: packageFile('@phoenix/generators', 'profiles') },
      shipLogLevel: 'info',
    });
    expect(config.core.main.endsWith(path.join('phoenix-core', 'dist', 'main.js'))).toBe(true);
  });

  test('the core and control URLs follow their port variables and the bind address', () => {
    const { config, errors } = load({
      PHOENIX_OBSERVATORY_PORT: '18891',
      PHOENIX_HEALTH_PORT: '23133',
      PHOENIX_OTLP_HTTP_PORT: '14318',
      PHOENIX_CONTROL_API_PORT: '18080',
      PHOENIX_BIND_ADDRESS: '0.0.0.0',
      PHOENIX_DATA_DIR: '/var/lib/phoenix',
    });
    expect(errors).toEqual([]);
    expect([config.core.url, config.core.healthUrl, config.core.otlpHttpUrl, config.control.url]).toEqual([
      'http://127.0.0.1:18891',
      'http://127.0.0.1:23133/health',
      'http://127.0.0.1:14318',
      'http://127.0.0.1:18080',
    ]);
    expect([config.stateDir, config.control.file, config.http.bindAddress]).toEqual(['/var/lib/phoenix/agent', '/var/lib/phoenix/optimization_mode.yaml', '0.0.0.0']);
    expect(load({ PHOENIX_BIND_ADDRESS: '10.1.2.3' }).config.core.url).toBe('http://10.1.2.3:8891');
  });

  test('PHOENIX_CONTROL_URL set means explicit; set to the empty string means no phoenix-control', () => {
    expect(load({ PHOENIX_CONTROL_URL: 'http://ctl:9000' }).config.control).toMatchObject({ url: 'http://ctl:9000', urlExplicit: true });
    expect(load({ PHOENIX_CONTROL_URL: '' }).config.control).toMatchObject({ url: undefined, urlExplicit: false });
  });

  test('durations, sizes and booleans through the one parser of each kind', () => {
    const { config, errors } = load({
      PHOENIX_AGENT_POLL_WAIT_SECONDS: '500ms',
      PHOENIX_AGENT_BACKOFF_MAX_SECONDS: '2m',
      PHOENIX_AGENT_MANAGE_CORE: 'yes',
      PHOENIX_AGENT_MANAGE_CONTROL: 'off',
      PHOENIX_HOST_ID: 'web-01.example.com',
      PHOENIX_PUSHGATEWAY_URL: 'http://pg:9091',
    });
    expect(errors).toEqual([]);
    expect([config.api.pollWaitSeconds, config.api.backoffMaxSeconds, config.core.manage, config.control.manage, config.api.hostId, config.push.url]).toEqual([
      0.5,
      120,
      true,
      false,
      'web-01.example.com',
      'http://pg:9091',
    ]);
  });
});

describe('loadConfig: a bad value names the config key and its variable', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ PHOENIX_AGENT_KEY: '' }, 'api.key (PHOENIX_AGENT_KEY): is required (the API key phoenix-api issued for this host, or its enrollment key)'],
    [{ PHOENIX_AGENT_KEY: 'short' }, 'api.key (PHOENIX_AGENT_KEY): must be at least 16 characters (got 5)'],
    [{ PHOENIX_API_URL: 'ftp://x' }, 'api.url (PHOENIX_API_URL): must be an http(s) URL (got ftp://x)'],
    [{ PHOENIX_HOST_ID: '-bad host' }, `api.hostId (PHOENIX_HOST_ID): must be 1-253 letters, digits, '.', '_', ':' or '-', starting with a letter or digit (got "-bad host")`],
    [{ PHOENIX_AGENT_REQUEST_TIMEOUT_SECONDS: '0' }, 'api.requestTimeoutSeconds (PHOENIX_AGENT_REQUEST_TIMEOUT_SECONDS): must be >= 0.1 (got 0)'],
    [{ PHOENIX_AGENT_POLL_WAIT_SECONDS: '61' }, 'api.pollWaitSeconds (PHOENIX_AGENT_POLL_WAIT_SECONDS): must be <= 60 (got 61)'],
    [{ PHOENIX_AGENT_HEARTBEAT_INTERVAL_SECONDS: 'soon' }, 'api.heartbeatIntervalSeconds (PHOENIX_AGENT_HEARTBEAT_INTERVAL_SECONDS): must be a duration such as 30, 500ms, 2m (got "soon")'],
    [{ PHOENIX_AGENT_BACKOFF_MAX_SECONDS: '0.1' }, 'api.backoffMaxSeconds (PHOENIX_AGENT_BACKOFF_MAX_SECONDS): must be >= 0.5 (got 0.1)'],
    [{ PHOENIX_AGENT_AUTH_RETRY_SECONDS: '2d' }, 'api.authRetrySeconds (PHOENIX_AGENT_AUTH_RETRY_SECONDS): must be a duration such as 30, 500ms, 2m (got "2d")'],
    [{ PHOENIX_AGENT_PORT: '70000' }, 'http.port (PHOENIX_AGENT_PORT): must be <= 65535 (got 70000)'],
    [{ PHOENIX_AGENT_PORT: 'x' }, 'http.port (PHOENIX_AGENT_PORT): must be an integer (got "x")'],
    [{ PHOENIX_LOG_LEVEL: 'loud' }, 'logLevel (PHOENIX_LOG_LEVEL): must be one of debug, info, warn, error (got "loud")'],
    [{ PHOENIX_AGENT_MANAGE_CORE: 'maybe' }, 'core.manage (PHOENIX_AGENT_MANAGE_CORE): must be true or false (1/0, yes/no, on/off; got "maybe")'],
    [{ PHOENIX_CORE_URL: 'nope' }, 'core.url (PHOENIX_CORE_URL): must be a URL (got "nope")'],
    [{ PHOENIX_CORE_HEALTH_URL: 'nope' }, 'core.healthUrl (PHOENIX_CORE_HEALTH_URL): must be a URL (got "nope")'],
    [{ PHOENIX_CORE_OTLP_URL: 'nope' }, 'core.otlpHttpUrl (PHOENIX_CORE_OTLP_URL): must be a URL (got "nope")'],
    [{ PHOENIX_OBSERVATORY_PORT: 'x' }, 'core.url (PHOENIX_OBSERVATORY_PORT): must be an integer (got "x")'],
    [{ PHOENIX_AGENT_MANAGE_CORE: 'true', PHOENIX_AGENT_CORE_MAIN: '/no/core.js' }, 'core.main (PHOENIX_AGENT_CORE_MAIN): must be an existing file (got /no/core.js)'],
    [{ PHOENIX_AGENT_METRICS_INTERVAL_SECONDS: '10ms' }, 'core.metricsIntervalSeconds (PHOENIX_AGENT_METRICS_INTERVAL_SECONDS): must be >= 0.05 (got 0.01)'],
    [{ PHOENIX_AGENT_SCRAPE_TIMEOUT_SECONDS: '0' }, 'core.scrapeTimeoutSeconds (PHOENIX_AGENT_SCRAPE_TIMEOUT_SECONDS): must be >= 0.05 (got 0)'],
    [{ PHOENIX_AGENT_HEALTH_INTERVAL_SECONDS: '2h' }, 'core.healthIntervalSeconds (PHOENIX_AGENT_HEALTH_INTERVAL_SECONDS): must be <= 3600 (got 7200)'],
    [{ PHOENIX_AGENT_RESTART_MIN_SECONDS: '0' }, 'core.restartMinSeconds (PHOENIX_AGENT_RESTART_MIN_SECONDS): must be >= 0.01 (got 0)'],
    [{ PHOENIX_AGENT_RESTART_MAX_SECONDS: '0.2' }, 'core.restartMaxSeconds (PHOENIX_AGENT_RESTART_MAX_SECONDS): must be >= restartMinSeconds (0.5)'],
    [{ PHOENIX_AGENT_STOP_GRACE_SECONDS: '11m' }, 'core.stopGraceSeconds (PHOENIX_AGENT_STOP_GRACE_SECONDS): must be <= 600 (got 660)'],
    [{ PHOENIX_AGENT_MANAGE_CONTROL: '2' }, 'control.manage (PHOENIX_AGENT_MANAGE_CONTROL): must be true or false (1/0, yes/no, on/off; got "2")'],
    [{ PHOENIX_CONTROL_URL: 'ctl:8080' }, 'control.url (PHOENIX_CONTROL_URL): must be an http(s) URL (got ctl:8080)'],
    [{ PHOENIX_API_TOKEN: 'short-token' }, 'control.token (PHOENIX_API_TOKEN): must be at least 16 characters (got 11)'],
    [{ PHOENIX_AGENT_MANAGE_CORE: '1', PHOENIX_AGENT_CONTROL_MAIN: '/no/control.js' }, 'control.main (PHOENIX_AGENT_CONTROL_MAIN): must be an existing file (got /no/control.js)'],
    [{ PHOENIX_TARGET_SERIES: '0' }, 'control.defaultTargetSeries (PHOENIX_TARGET_SERIES): must be >= 1 (got 0)'],
    [{ PHOENIX_AGENT_CONTROL_TIMEOUT_SECONDS: '0' }, 'control.requestTimeoutSeconds (PHOENIX_AGENT_CONTROL_TIMEOUT_SECONDS): must be >= 0.05 (got 0)'],
    [{ PHOENIX_PUSHGATEWAY_URL: 'pg:9091' }, 'push.url (PHOENIX_PUSHGATEWAY_URL): must be an http(s) URL (got pg:9091)'],
    [{ PHOENIX_PUSHGATEWAY_JOB: 'a/b' }, `push.job (PHOENIX_PUSHGATEWAY_JOB): must be letters, digits, '_', '.', ':' or '-' (got "a/b")`],
    [{ PHOENIX_AGENT_PUSH_TIMEOUT_SECONDS: '0' }, 'push.timeoutSeconds (PHOENIX_AGENT_PUSH_TIMEOUT_SECONDS): must be >= 0.05 (got 0)'],
    [{ PHOENIX_AGENT_OUTBOX_MAX_REPORTS: '0' }, 'outbox.maxReports (PHOENIX_AGENT_OUTBOX_MAX_REPORTS): must be >= 1 (got 0)'],
    [{ PHOENIX_AGENT_OUTBOX_MAX_SAMPLES: '1.5' }, 'outbox.maxSamples (PHOENIX_AGENT_OUTBOX_MAX_SAMPLES): must be an integer (got "1.5")'],
    [{ PHOENIX_AGENT_OUTBOX_MAX_LOG_LINES: '2000000' }, 'outbox.maxLogLines (PHOENIX_AGENT_OUTBOX_MAX_LOG_LINES): must be <= 1000000 (got 2000000)'],
    [{ PHOENIX_AGENT_METRICS_BATCH: '1001' }, 'outbox.metricsBatch (PHOENIX_AGENT_METRICS_BATCH): must be <= 1000 (got 1001)'],
    [{ PHOENIX_AGENT_LOGS_BATCH: '5001' }, 'outbox.logsBatch (PHOENIX_AGENT_LOGS_BATCH): must be <= 5000 (got 5001)'],
    [{ PHOENIX_AGENT_MAX_TASKS: '21' }, 'tasks.maxConcurrent (PHOENIX_AGENT_MAX_TASKS): must be <= 20 (got 21)'],
    [{ PHOENIX_AGENT_JOURNAL_MAX_ENTRIES: '5' }, 'tasks.journalMaxEntries (PHOENIX_AGENT_JOURNAL_MAX_ENTRIES): must be >= 10 (got 5)'],
    [{ PHOENIX_AGENT_SHIP_LOG_LEVEL: 'all' }, 'shipLogLevel (PHOENIX_AGENT_SHIP_LOG_LEVEL): must be one of debug, info, warn, error (got "all")'],
  ];
  test.each(cases)('%j', (env, message) => {
    expect(load(env).errors).toEqual([message]);
  });

  test('every variable of ENV has a case above (and the generators paths, which take any path)', () => {
    const covered = new Set(cases.flatMap(([env]) => Object.keys(env)));
    const untested = Object.values(ENV).filter((v) => !covered.has(v));
    expect(untested.sort()).toEqual(['PHOENIX_AGENT_GENERATORS_CLI', 'PHOENIX_BIND_ADDRESS', 'PHOENIX_CONTROL_FILE', 'PHOENIX_DATA_DIR', 'PHOENIX_GENERATORS_PROFILES_DIR']);
  });

  test('the paths and the bind address are taken as given (an empty value is the default)', () => {
    const env = { PHOENIX_BIND_ADDRESS: '::1', PHOENIX_AGENT_GENERATORS_CLI: '/opt/gen/cli.js', PHOENIX_GENERATORS_PROFILES_DIR: '/opt/gen/profiles', PHOENIX_CONTROL_FILE: '/etc/phoenix/mode.yaml' };
    const { config, errors } = load(env);
    expect(errors).toEqual([]);
    expect([config.http.bindAddress, config.core.url, config.generators.cli, config.generators.profilesDir, config.control.file]).toEqual([
      '::1',
      'http://[::1]:8891',
      '/opt/gen/cli.js',
      '/opt/gen/profiles',
      '/etc/phoenix/mode.yaml',
    ]);
    expect(load({ PHOENIX_DATA_DIR: ' ' }).config.dataDir).toBe('./data');
  });

  test('validateConfig names the key of a config built in code', () => {
    const { config } = load();
    expect(validateConfig({ ...config, dataDir: '', core: { ...config.core, manage: true, main: '' } })).toEqual([
      'dataDir (PHOENIX_DATA_DIR): must be a non-empty string',
      'core.main (PHOENIX_AGENT_CORE_MAIN): is required with a managed core (@phoenix/core is not installed here)',
    ]);
    expect(validateConfig({ ...config, core: { ...config.core, manage: true }, control: { ...config.control, main: '' } })).toEqual([
      'control.main (PHOENIX_AGENT_CONTROL_MAIN): is required with a managed phoenix-control (@phoenix/control is not installed here)',
    ]);
  });
});
