import type { BenchmarkCost, BenchmarkCostLine, BenchmarkSample } from '@phoenix/contracts';
import { pairedMeans } from './series';

/** Seconds in an average month (365.25 / 12 days). */
export const SECONDS_PER_MONTH = (365.25 / 12) * 86400;

export interface Prices {
  currency: string;
  environment: string;
  /** Per active series per month. */
  pricePerSeriesMonth: number;
  /** Per million samples ingested. */
  pricePerMillionSamples: number;
  /** How often the backend scrapes each series. */
  scrapeIntervalSeconds: number;
}

/** The monthly cost of keeping `series` series, scraped every `scrapeIntervalSeconds`. */
export function costLine(series: number, p: Prices): BenchmarkCostLine {
  const samplesPerMonth = (series * SECONDS_PER_MONTH) / p.scrapeIntervalSeconds;
  const seriesCost = series * p.pricePerSeriesMonth;
  const samplesCost = (samplesPerMonth / 1e6) * p.pricePerMillionSamples;
  return { series, samples_per_month: samplesPerMonth, series_cost: seriesCost, samples_cost: samplesCost, total: seriesCost + samplesCost };
}

function minus(a: BenchmarkCostLine, b: BenchmarkCostLine): BenchmarkCostLine {
  return {
    series: a.series - b.series,
    samples_per_month: a.samples_per_month - b.samples_per_month,
    series_cost: a.series_cost - b.series_cost,
    samples_cost: a.samples_cost - b.samples_cost,
    total: a.total - b.total,
  };
}

/**
 * Monthly cost before (mean full_fidelity series: every series the sources send) and after Phoenix (mean series
 * of the active output), over the samples where both were read, and what is saved.
 */
export function estimateCost(samples: readonly BenchmarkSample[], p: Prices): BenchmarkCost {
  const means = pairedMeans(samples, 'active');
  const before = costLine(means?.full ?? 0, p);
  const after = costLine(means?.other ?? 0, p);
  const saved = minus(before, after);
  return {
    available: means !== null,
    currency: p.currency,
    environment: p.environment,
    price_per_series_month: p.pricePerSeriesMonth,
    price_per_million_samples: p.pricePerMillionSamples,
    scrape_interval_seconds: p.scrapeIntervalSeconds,
    before,
    after,
    saved,
    saved_ratio: before.total > 0 ? saved.total / before.total : null,
  };
}
