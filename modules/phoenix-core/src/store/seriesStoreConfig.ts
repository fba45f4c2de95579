import { ConfigErrors } from '@phoenix/runtime';

/** Configuration of the series store. */
export interface SeriesStoreConfig {
  /** series with no new point for this long are removed */
  stalenessMs: number;
  /** resource attributes flattened into labels (OpenTelemetry keys) */
  resourceLabels: string[];
  /** hard cap on input series; points of new series beyond it are refused (reason `series_limit`) */
  maxSeries: number;
}

export const defaultSeriesStoreConfig: SeriesStoreConfig = {
  stalenessMs: 5 * 60_000,
  resourceLabels: ['host.name', 'service.name', 'service.instance.id'],
  maxSeries: 2_000_000,
};

/** Returns the problems of a config, each `key: problem` (see ConfigErrors); empty when valid. */
export function validateSeriesStoreConfig(c: SeriesStoreConfig): string[] {
  const e = new ConfigErrors();
  e.number('store.stalenessMs', c.stalenessMs, { min: 0, exclusiveMin: true });
  if (!Array.isArray(c.resourceLabels) || c.resourceLabels.some((l) => typeof l !== 'string' || l === '')) {
    e.add('store.resourceLabels', 'must be a list of non-empty attribute keys');
  }
  e.number('store.maxSeries', c.maxSeries, { integer: true, min: 1, max: 1_000_000_000 });
  return e.messages;
}
