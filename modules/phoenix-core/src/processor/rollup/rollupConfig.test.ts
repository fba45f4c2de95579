import { defaultRollupConfig, validateRollupConfig, type RollupConfig } from './rollupConfig';

describe('validateRollupConfig', () => {
  test('the defaults are valid', () => {
    expect(validateRollupConfig(defaultRollupConfig)).toEqual([]);
    expect(defaultRollupConfig).toMatchObject({ hostAttribute: 'host.name', gaugeAggregation: 'sum', rollupLabel: 'phoenix_rollup', stalenessMs: 300_000, emptyGroupTtlMs: 30_000 });
  });

  test.each<[string, Partial<RollupConfig>, string]>([
    ['hostAttribute', { hostAttribute: '' }, 'rollup.hostAttribute: must be a non-empty string'],
    [
      'processAttributePrefixes',
      { processAttributePrefixes: [], processAttributes: [] },
      'rollup.processAttributePrefixes: at least one prefix or rollup.processAttributes entry is needed to recognise processes',
    ],
    ['gaugeAggregation', { gaugeAggregation: 'median' as RollupConfig['gaugeAggregation'] }, 'rollup.gaugeAggregation: must be one of sum, max, min, avg, last (got "median")'],
    [
      'gaugeAggregationByMetric',
      { gaugeAggregationByMetric: { 'process.threads': 'max', 'system.load': 'p99' as RollupConfig['gaugeAggregation'] } },
      'rollup.gaugeAggregationByMetric: system.load: must be one of sum, max, min, avg, last (got "p99")',
    ],
    ['rollupLabel', { rollupLabel: '1st' }, 'rollup.rollupLabel: must be a valid Prometheus label name (got "1st")'],
    ['stalenessMs', { stalenessMs: 0 }, 'rollup.stalenessMs: must be > 0 (got 0)'],
    ['emptyGroupTtlMs', { emptyGroupTtlMs: -1 }, 'rollup.emptyGroupTtlMs: must be >= 0 (got -1)'],
  ])('%s: %j → the message names the key', (_key, change, message) => {
    expect(validateRollupConfig({ ...defaultRollupConfig, ...change })).toEqual([message]);
  });

  test('process attributes alone, or volatile attributes of any kind, are valid', () => {
    expect(validateRollupConfig({ ...defaultRollupConfig, processAttributePrefixes: [], volatileAttributes: [] })).toEqual([]);
  });
});
