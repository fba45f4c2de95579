import { ConfigErrors } from '@phoenix/runtime';

/** The prices of the cost calculator, and the scrape interval of the backend it prices (samples per month). */
export interface CostConfig {
  currency: string;
  pricePerSeriesMonth: number;
  pricePerMillionSamples: number;
  scrapeIntervalSeconds: number;
}

export const defaultCostConfig: CostConfig = { currency: 'USD', pricePerSeriesMonth: 0.05, pricePerMillionSamples: 0.1, scrapeIntervalSeconds: 15 };

export function validateCostConfig(c: CostConfig, prefix = 'cost'): string[] {
  const e = new ConfigErrors();
  e.nonEmpty(`${prefix}.currency`, c.currency);
  e.number(`${prefix}.pricePerSeriesMonth`, c.pricePerSeriesMonth, { min: 0 });
  e.number(`${prefix}.pricePerMillionSamples`, c.pricePerMillionSamples, { min: 0 });
  e.number(`${prefix}.scrapeIntervalSeconds`, c.scrapeIntervalSeconds, { min: 0, exclusiveMin: true, max: 86400 });
  return e.messages;
}
