/**
 * phoenix-core's configuration from the environment: every key's default, every variable read,
 * and for every key a bad value with the exact message, which names the variable (a value that
 * does not parse) or the config key and its variable (a value out of range).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CORE_ENV, PORT_ENV, coreConfigFromEnv, defaultCoreConfig, validateCoreConfig, type CoreConfig } from './coreConfig';

const CWD = '/srv/phoenix';
const read = (env: Record<string, string>) => coreConfigFromEnv(env, CWD);

/** The value at a dotted key of the config. */
function at(c: CoreConfig, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], c);
}

describe('coreConfigFromEnv', () => {
  test('defaults: every key', () => {
    const { config, errors } = read({});
    expect(errors).toEqual([]);
    expect(config).toEqual({
      bindAddress: '127.0.0.1',
      ports: { otlpGrpc: 4317, otlpHttp: 4318, fullFidelity: 8888, optimized: 8889, experimentalTopk: 8890, observatory: 8891, active: 8892, health: 13133 },
      store: { stalenessMs: 300_000, resourceLabels: ['host.name', 'service.name', 'service.instance.id'], maxSeries: 2_000_000 },
      maxRequestBytes: 16_777_216,
      sweepIntervalMs: 10_000,
      dataDir: '/srv/phoenix/data',
      controlFile: '/srv/phoenix/data/optimization_mode.yaml',
      priorityRulesFile: undefined,
      targetSeries: 20_000,
      logLevel: 'info',
      rollup: {
        hostAttribute: 'host.name',
        processAttributePrefixes: ['process.'],
        processAttributes: ['container.id'],
        volatileAttributes: ['process.pid', 'process.command_line', 'container.id'],
        gaugeAggregation: 'sum',
        gaugeAggregationByMetric: {},
        rollupLabel: 'phoenix_rollup',
        stalenessMs: 300_000,
        emptyGroupTtlMs: 30_000,
      },
      topk: { k: 20, rankingMetric: 'process.cpu.time', windowMs: 60_000, rankIntervalMs: 10_000, margin: 0.1 },
      reductionEnabled: true,
      controlFilePolling: false,
      shards: 1,
    });
  });

  const good: Array<[variable: string, raw: string, key: string, value: unknown]> = [
    ['PHOENIX_BIND_ADDRESS', '0.0.0.0', 'bindAddress', '0.0.0.0'],
    ...Object.entries(PORT_ENV).map(([k, v], i): [string, string, string, unknown] => [v, String(20000 + i), `ports.${k}`, 20000 + i]),
    ['PHOENIX_STALENESS_SECONDS', '2m', 'store.stalenessMs', 120_000],
    ['PHOENIX_STALENESS_SECONDS', '90', 'rollup.stalenessMs', 90_000],
    ['PHOENIX_RESOURCE_LABELS', 'host.name, k8s.pod.name,', 'store.resourceLabels', ['host.name', 'k8s.pod.name']],
    ['PHOENIX_MAX_SERIES', '5000', 'store.maxSeries', 5000],
    ['PHOENIX_MAX_REQUEST_BYTES', '4MiB', 'maxRequestBytes', 4_194_304],
    ['PHOENIX_MAX_REQUEST_BYTES', '65536', 'maxRequestBytes', 65_536],
    ['PHOENIX_SWEEP_INTERVAL_SECONDS', '500ms', 'sweepIntervalMs', 500],
    ['PHOENIX_DATA_DIR', 'var', 'dataDir', '/srv/phoenix/var'],
    ['PHOENIX_DATA_DIR', 'var', 'controlFile', '/srv/phoenix/var/optimization_mode.yaml'],
    ['PHOENIX_CONTROL_FILE', '/etc/phoenix/mode.yaml', 'controlFile', '/etc/phoenix/mode.yaml'],
    ['PHOENIX_PRIORITY_RULES', 'rules.yaml', 'priorityRulesFile', '/srv/phoenix/rules.yaml'],
    ['PHOENIX_TARGET_SERIES', '1000', 'targetSeries', 1000],
    ['PHOENIX_LOG_LEVEL', 'debug', 'logLevel', 'debug'],
    ['PHOENIX_HOST_ATTRIBUTE', 'k8s.node.name', 'rollup.hostAttribute', 'k8s.node.name'],
    ['PHOENIX_PROCESS_ATTRIBUTE_PREFIXES', 'process.,proc.', 'rollup.processAttributePrefixes', ['process.', 'proc.']],
    ['PHOENIX_PROCESS_ATTRIBUTES', '', 'rollup.processAttributes', []],
    ['PHOENIX_VOLATILE_ATTRIBUTES', 'process.pid', 'rollup.volatileAttributes', ['process.pid']],
    ['PHOENIX_GAUGE_AGGREGATION', 'max', 'rollup.gaugeAggregation', 'max'],
    ['PHOENIX_GAUGE_AGGREGATION_BY_METRIC', 'process.threads=max, system.load=avg', 'rollup.gaugeAggregationByMetric', { 'process.threads': 'max', 'system.load': 'avg' }],
    ['PHOENIX_EMPTY_GROUP_TTL_SECONDS', '0', 'rollup.emptyGroupTtlMs', 0],
    ['PHOENIX_TOPK_RANKING_METRIC', 'process.cpu.utilization', 'topk.rankingMetric', 'process.cpu.utilization'],
    ['PHOENIX_TOPK_WINDOW_SECONDS', '1h', 'topk.windowMs', 3_600_000],
    ['PHOENIX_TOPK_RANK_INTERVAL_SECONDS', '2.5', 'topk.rankIntervalMs', 2500],
    ['PHOENIX_TOPK_MARGIN', '0', 'topk.margin', 0],
    ['PHOENIX_CORE_SHARDS', '4', 'shards', 4],
    ...['1', 'true', 'yes', 'on', 'TRUE'].map((raw): [string, string, string, unknown] => ['PHOENIX_CONTROL_FILE_POLL', raw, 'controlFilePolling', true]),
    ...['0', 'false', 'no', 'off', 'Off'].map((raw): [string, string, string, unknown] => ['PHOENIX_REDUCTION_ENABLED', raw, 'reductionEnabled', false]),
  ];

  test.each(good)('%s=%j sets %s', (variable, raw, key, value) => {
    const { config, errors } = read({ [variable]: raw });
    expect(errors).toEqual([]);
    expect(at(config, key)).toEqual(value);
  });

  const bad: Array<[variable: string, raw: string, errors: string[]]> = [
    ['PHOENIX_OTLP_GRPC_PORT', 'abc', ['PHOENIX_OTLP_GRPC_PORT: must be an integer (got "abc")']],
    ['PHOENIX_OTLP_HTTP_PORT', '70000', ['ports.otlpHttp (PHOENIX_OTLP_HTTP_PORT): must be <= 65535 (got 70000)']],
    ['PHOENIX_FULL_FIDELITY_PORT', '-1', ['ports.fullFidelity (PHOENIX_FULL_FIDELITY_PORT): must be >= 0 (got -1)']],
    ['PHOENIX_OPTIMIZED_PORT', '8888', ['ports.optimized (PHOENIX_OPTIMIZED_PORT): port 8888 is also used by ports.fullFidelity']],
    ['PHOENIX_EXPERIMENTAL_TOPK_PORT', '80.5', ['PHOENIX_EXPERIMENTAL_TOPK_PORT: must be an integer (got "80.5")']],
    ['PHOENIX_OBSERVATORY_PORT', '4317', ['ports.observatory (PHOENIX_OBSERVATORY_PORT): port 4317 is also used by ports.otlpGrpc']],
    ['PHOENIX_ACTIVE_PORT', '65536', ['ports.active (PHOENIX_ACTIVE_PORT): must be <= 65535 (got 65536)']],
    ['PHOENIX_HEALTH_PORT', 'x', ['PHOENIX_HEALTH_PORT: must be an integer (got "x")']],
    ['PHOENIX_STALENESS_SECONDS', 'soon', ['PHOENIX_STALENESS_SECONDS: must be a duration such as 30, 500ms, 2m (got "soon")']],
    [
      'PHOENIX_STALENESS_SECONDS',
      '0',
      ['store.stalenessMs (PHOENIX_STALENESS_SECONDS): must be > 0 (got 0)', 'rollup.stalenessMs (PHOENIX_STALENESS_SECONDS): must be > 0 (got 0)'],
    ],
    ['PHOENIX_MAX_SERIES', '0', ['store.maxSeries (PHOENIX_MAX_SERIES): must be >= 1 (got 0)']],
    ['PHOENIX_MAX_SERIES', '2e9', ['store.maxSeries (PHOENIX_MAX_SERIES): must be <= 1000000000 (got 2000000000)']],
    ['PHOENIX_MAX_SERIES', '1.5', ['PHOENIX_MAX_SERIES: must be an integer (got "1.5")']],
    ['PHOENIX_MAX_REQUEST_BYTES', '512', ['maxRequestBytes (PHOENIX_MAX_REQUEST_BYTES): must be >= 1024 (got 512)']],
    ['PHOENIX_MAX_REQUEST_BYTES', '2GiB', ['maxRequestBytes (PHOENIX_MAX_REQUEST_BYTES): must be <= 1073741824 (got 2147483648)']],
    ['PHOENIX_MAX_REQUEST_BYTES', 'big', ['PHOENIX_MAX_REQUEST_BYTES: must be a size in bytes such as 16384, 16KiB, 1MB (got "big")']],
    ['PHOENIX_SWEEP_INTERVAL_SECONDS', '5ms', ['sweepIntervalMs (PHOENIX_SWEEP_INTERVAL_SECONDS): must be >= 10 (got 5)']],
    ['PHOENIX_SWEEP_INTERVAL_SECONDS', 'often', ['PHOENIX_SWEEP_INTERVAL_SECONDS: must be a duration such as 30, 500ms, 2m (got "often")']],
    ['PHOENIX_CONTROL_FILE_POLL', 'sometimes', ['PHOENIX_CONTROL_FILE_POLL: must be true or false (1/0, yes/no, on/off; got "sometimes")']],
    ['PHOENIX_TARGET_SERIES', '0', ['targetSeries (PHOENIX_TARGET_SERIES): must be >= 1 (got 0)']],
    ['PHOENIX_TARGET_SERIES', 'lots', ['PHOENIX_TARGET_SERIES: must be an integer (got "lots")']],
    ['PHOENIX_LOG_LEVEL', 'loud', ['PHOENIX_LOG_LEVEL: must be one of debug, info, warn, error (got "loud")']],
    ['PHOENIX_GAUGE_AGGREGATION', 'median', ['PHOENIX_GAUGE_AGGREGATION: must be one of sum, max, min, avg, last (got "median")']],
    ['PHOENIX_GAUGE_AGGREGATION_BY_METRIC', 'a=max,b', ['PHOENIX_GAUGE_AGGREGATION_BY_METRIC: "b" must be metric=function']],
    ['PHOENIX_GAUGE_AGGREGATION_BY_METRIC', 'a=median', ['PHOENIX_GAUGE_AGGREGATION_BY_METRIC: "a=median": must be one of sum, max, min, avg, last']],
    ['PHOENIX_EMPTY_GROUP_TTL_SECONDS', '-1', ['PHOENIX_EMPTY_GROUP_TTL_SECONDS: must be a duration such as 30, 500ms, 2m (got "-1")']],
    ['PHOENIX_TOPK_WINDOW_SECONDS', '0', ['topk.windowMs (PHOENIX_TOPK_WINDOW_SECONDS): must be > 0 (got 0)']],
    ['PHOENIX_TOPK_RANK_INTERVAL_SECONDS', '0s', ['topk.rankIntervalMs (PHOENIX_TOPK_RANK_INTERVAL_SECONDS): must be > 0 (got 0)']],
    ['PHOENIX_TOPK_MARGIN', '11', ['topk.margin (PHOENIX_TOPK_MARGIN): must be <= 10 (got 11)']],
    ['PHOENIX_TOPK_MARGIN', '-0.5', ['topk.margin (PHOENIX_TOPK_MARGIN): must be >= 0 (got -0.5)']],
    ['PHOENIX_TOPK_MARGIN', 'wide', ['PHOENIX_TOPK_MARGIN: must be a number (got "wide")']],
    ['PHOENIX_REDUCTION_ENABLED', 'maybe', ['PHOENIX_REDUCTION_ENABLED: must be true or false (1/0, yes/no, on/off; got "maybe")']],
    ['PHOENIX_CORE_SHARDS', '0', ['shards (PHOENIX_CORE_SHARDS): must be >= 1 (got 0)']],
    ['PHOENIX_CORE_SHARDS', '65', ['shards (PHOENIX_CORE_SHARDS): must be <= 64 (got 65)']],
  ];

  test.each(bad)('%s=%j is refused: %j', (variable, raw, errors) => {
    expect(read({ [variable]: raw }).errors).toEqual(errors);
  });

  test('no process attributes at all is refused, naming the variable', () => {
    expect(read({ PHOENIX_PROCESS_ATTRIBUTE_PREFIXES: '', PHOENIX_PROCESS_ATTRIBUTES: ' , ' }).errors).toEqual([
      'rollup.processAttributePrefixes (PHOENIX_PROCESS_ATTRIBUTE_PREFIXES): at least one prefix or rollup.processAttributes entry is needed to recognise processes',
    ]);
  });

  test('parse problems and range problems are reported together', () => {
    expect(read({ PHOENIX_CORE_SHARDS: 'two', PHOENIX_TARGET_SERIES: '-5' }).errors).toEqual([
      'PHOENIX_CORE_SHARDS: must be an integer (got "two")',
      'targetSeries (PHOENIX_TARGET_SERIES): must be >= 1 (got -5)',
    ]);
  });
});

describe('validateCoreConfig', () => {
  const broken: Array<[key: string, change: (c: CoreConfig) => void, message: string]> = [
    ['bindAddress', (c) => (c.bindAddress = ''), 'bindAddress (PHOENIX_BIND_ADDRESS): must be a non-empty string'],
    ['store.resourceLabels', (c) => (c.store.resourceLabels = ['host.name', '']), 'store.resourceLabels (PHOENIX_RESOURCE_LABELS): must be a list of non-empty attribute keys'],
    ['dataDir', (c) => (c.dataDir = ''), 'dataDir (PHOENIX_DATA_DIR): must be a non-empty string'],
    ['controlFile', (c) => (c.controlFile = ' '), 'controlFile (PHOENIX_CONTROL_FILE): must be a non-empty string'],
    ['logLevel', (c) => (c.logLevel = 'trace' as CoreConfig['logLevel']), 'logLevel (PHOENIX_LOG_LEVEL): must be one of debug, info, warn, error (got "trace")'],
    ['rollup.hostAttribute', (c) => (c.rollup.hostAttribute = ''), 'rollup.hostAttribute (PHOENIX_HOST_ATTRIBUTE): must be a non-empty string'],
    ['rollup.emptyGroupTtlMs', (c) => (c.rollup.emptyGroupTtlMs = -1), 'rollup.emptyGroupTtlMs (PHOENIX_EMPTY_GROUP_TTL_SECONDS): must be >= 0 (got -1)'],
    ['rollup.rollupLabel', (c) => (c.rollup.rollupLabel = 'phoenix-rollup'), 'rollup.rollupLabel: must be a valid Prometheus label name (got "phoenix-rollup")'],
    ['topk.k', (c) => (c.topk.k = 0), 'topk.k: must be >= 1 (got 0)'],
    ['topk.rankingMetric', (c) => (c.topk.rankingMetric = ''), 'topk.rankingMetric (PHOENIX_TOPK_RANKING_METRIC): must be a non-empty string'],
    ['shards', (c) => (c.shards = 1.5), 'shards (PHOENIX_CORE_SHARDS): must be an integer (got 1.5)'],
  ];

  test.each(broken)('%s: a bad value names the key and its variable', (_key, change, message) => {
    const c = defaultCoreConfig();
    change(c);
    expect(validateCoreConfig(c)).toEqual([message]);
  });

  test('ports 0 (pick a free one) may repeat', () => {
    const c = defaultCoreConfig();
    for (const k of Object.keys(c.ports) as Array<keyof CoreConfig['ports']>) c.ports[k] = 0;
    expect(validateCoreConfig(c)).toEqual([]);
  });
});

test('every variable of CORE_ENV is documented in the root README', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../../../README.md'), 'utf8');
  const missing = [...new Set(Object.values(CORE_ENV))].filter((v) => !readme.includes(`\`${v}\``));
  expect(missing).toEqual([]);
});
