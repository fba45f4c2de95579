import { leafKeys } from '@phoenix/testkit';
import { defaultCostConfig, validateCostConfig, type CostConfig } from './costConfig';

const BAD: Array<[string, Partial<CostConfig>, string[]]> = [
  ['currency', { currency: ' ' }, ['cost.currency: must be a non-empty string']],
  ['pricePerSeriesMonth', { pricePerSeriesMonth: -0.01 }, ['cost.pricePerSeriesMonth: must be >= 0 (got -0.01)']],
  ['pricePerMillionSamples', { pricePerMillionSamples: Infinity }, ['cost.pricePerMillionSamples: must be a finite number (got Infinity)']],
  ['scrapeIntervalSeconds', { scrapeIntervalSeconds: 0 }, ['cost.scrapeIntervalSeconds: must be > 0 (got 0)']],
];

describe('validateCostConfig', () => {
  it('the defaults are valid: USD 0.05 per series-month, 0.10 per million samples, a 15 s scrape', () => {
    expect(defaultCostConfig).toEqual({ currency: 'USD', pricePerSeriesMonth: 0.05, pricePerMillionSamples: 0.1, scrapeIntervalSeconds: 15 });
    expect(validateCostConfig(defaultCostConfig)).toEqual([]);
  });

  it.each(BAD)('a bad %s: the message names the key', (_key, bad, messages) => {
    expect(validateCostConfig({ ...defaultCostConfig, ...bad })).toEqual(messages);
  });

  it('every key has a case', () => {
    expect(BAD.map(([k]) => k).sort()).toEqual(leafKeys(defaultCostConfig).sort());
  });
});
