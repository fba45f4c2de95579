import { sample } from '../../test/samples';
import { costLine, estimateCost, SECONDS_PER_MONTH, type Prices } from './cost';

const prices: Prices = { currency: 'USD', environment: 'ci', pricePerSeriesMonth: 0.05, pricePerMillionSamples: 0.1, scrapeIntervalSeconds: 15 };

describe('cost calculator', () => {
  it('a month is 30.4375 days', () => {
    expect(SECONDS_PER_MONTH).toBe(2_629_800);
  });

  it('one cost line by hand: 1,000 series scraped every 15 s', () => {
    const l = costLine(1000, prices);
    expect(l.samples_per_month).toBe(175_320_000); // 1000 x 2,629,800 / 15
    expect(l.series_cost).toBeCloseTo(50, 10); // 1000 x 0.05
    expect(l.samples_cost).toBeCloseTo(17.532, 10); // 175.32 million x 0.10
    expect(l.total).toBeCloseTo(67.532, 10);
  });

  it('before = mean full_fidelity, after = mean active output, saved = the difference', () => {
    const c = estimateCost(
      [sample(0, { series: { full_fidelity: 800 }, active_series: 800 }), sample(5, { series: { full_fidelity: 1200 }, active_series: 200 })],
      prices,
    );
    expect(c.available).toBe(true);
    expect(c.before.series).toBe(1000);
    expect(c.after.series).toBe(500);
    expect(c.before.total).toBeCloseTo(67.532, 10);
    expect(c.after.total).toBeCloseTo(33.766, 10);
    expect(c.saved.total).toBeCloseTo(33.766, 10);
    expect(c.saved.series).toBe(500);
    expect(c.saved_ratio).toBeCloseTo(0.5, 12);
    expect(c).toMatchObject({ currency: 'USD', environment: 'ci', price_per_series_month: 0.05, price_per_million_samples: 0.1, scrape_interval_seconds: 15 });
  });

  it('no reading: not available, zeros, no ratio', () => {
    const c = estimateCost([], prices);
    expect(c.available).toBe(false);
    expect(c.before.total).toBe(0);
    expect(c.saved_ratio).toBeNull();
  });

  it('free backend: saved_ratio is null (nothing to divide)', () => {
    const c = estimateCost([sample(0, { series: { full_fidelity: 10 }, active_series: 5 })], { ...prices, pricePerSeriesMonth: 0, pricePerMillionSamples: 0 });
    expect(c.saved_ratio).toBeNull();
    expect(c.saved.series).toBe(5);
  });
});
