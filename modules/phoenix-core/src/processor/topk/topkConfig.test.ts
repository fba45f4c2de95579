import { defaultTopkConfig, validateTopkConfig, type TopkConfig } from './topkConfig';

describe('validateTopkConfig', () => {
  test('the defaults are valid', () => {
    expect(defaultTopkConfig).toEqual({ k: 20, rankingMetric: 'process.cpu.time', windowMs: 60_000, rankIntervalMs: 10_000, margin: 0.1 });
    expect(validateTopkConfig(defaultTopkConfig)).toEqual([]);
  });

  test.each<[string, Partial<TopkConfig>, string]>([
    ['k', { k: 0 }, 'topk.k: must be >= 1 (got 0)'],
    ['k', { k: 2.5 }, 'topk.k: must be an integer (got 2.5)'],
    ['rankingMetric', { rankingMetric: '' }, 'topk.rankingMetric: must be a non-empty string'],
    ['windowMs', { windowMs: 0 }, 'topk.windowMs: must be > 0 (got 0)'],
    ['rankIntervalMs', { rankIntervalMs: -1 }, 'topk.rankIntervalMs: must be > 0 (got -1)'],
    ['margin', { margin: 10.5 }, 'topk.margin: must be <= 10 (got 10.5)'],
    ['margin', { margin: -0.1 }, 'topk.margin: must be >= 0 (got -0.1)'],
  ])('%s: %j → the message names the key', (_key, change, message) => {
    expect(validateTopkConfig({ ...defaultTopkConfig, ...change })).toEqual([message]);
  });
});
