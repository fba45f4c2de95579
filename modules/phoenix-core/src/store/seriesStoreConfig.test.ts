import { defaultSeriesStoreConfig, validateSeriesStoreConfig, type SeriesStoreConfig } from './seriesStoreConfig';

describe('validateSeriesStoreConfig', () => {
  test('the defaults are valid', () => {
    expect(defaultSeriesStoreConfig).toEqual({ stalenessMs: 300_000, resourceLabels: ['host.name', 'service.name', 'service.instance.id'], maxSeries: 2_000_000 });
    expect(validateSeriesStoreConfig(defaultSeriesStoreConfig)).toEqual([]);
  });

  test.each<[string, Partial<SeriesStoreConfig>, string]>([
    ['stalenessMs', { stalenessMs: 0 }, 'store.stalenessMs: must be > 0 (got 0)'],
    ['stalenessMs', { stalenessMs: NaN }, 'store.stalenessMs: must be a finite number (got NaN)'],
    ['resourceLabels', { resourceLabels: ['host.name', ''] }, 'store.resourceLabels: must be a list of non-empty attribute keys'],
    ['maxSeries', { maxSeries: 0 }, 'store.maxSeries: must be >= 1 (got 0)'],
    ['maxSeries', { maxSeries: 2.5 }, 'store.maxSeries: must be an integer (got 2.5)'],
    ['maxSeries', { maxSeries: 2e9 }, 'store.maxSeries: must be <= 1000000000 (got 2000000000)'],
  ])('%s: %j → the message names the key', (_key, change, message) => {
    expect(validateSeriesStoreConfig({ ...defaultSeriesStoreConfig, ...change })).toEqual([message]);
  });
});
