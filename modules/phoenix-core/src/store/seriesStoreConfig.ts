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

/** Returns the problems of a config, each naming its key; empty when valid. */
export function validateSeriesStoreConfig(c: SeriesStoreConfig): string[] {
  const errs: string[] = [];
  if (!Number.isFinite(c.stalenessMs) || c.stalenessMs <= 0) errs.push('store.stalenessMs: must be a positive number of milliseconds');
  if (!Array.isArray(c.resourceLabels) || c.resourceLabels.some((l) => typeof l !== 'string' || l === '')) {
    errs.push('store.resourceLabels: must be a list of non-empty attribute keys');
  }
  if (!Number.isInteger(c.maxSeries) || c.maxSeries < 1) errs.push('store.maxSeries: must be a positive integer');
  return errs;
}
