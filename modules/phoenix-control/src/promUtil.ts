import type { Metric, Registry } from 'prom-client';

/**
 * A gauge without labels that is absent from the exposition while `read` returns undefined (a prom-client
 * Gauge without labels always shows a value, 0 after reset(): an absent KPI must not look like a zero).
 */
export function optionalGauge(registry: Registry, name: string, help: string, read: () => number | undefined): void {
  const metric = {
    name,
    help,
    type: 'gauge',
    aggregator: 'sum',
    get: async () => {
      let v: number | undefined;
      try {
        v = read();
      } catch {
        v = undefined;
      }
      return { name, help, type: 'gauge', aggregator: 'sum', values: v === undefined || Number.isNaN(v) ? [] : [{ value: v, labels: {} }] };
    },
    reset: () => undefined,
  };
  registry.registerMetric(metric as unknown as Metric);
}
