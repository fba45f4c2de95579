import { ConfigErrors } from '@phoenix/runtime';

export interface ObserverConfig {
  /** Base URL of the core's observatory; `${coreUrl}/metrics` is scraped (PHOENIX_CORE_URL). */
  coreUrl: string;
  /** When set, KPIs come from this Prometheus HTTP API instead (PROMETHEUS_URL). */
  prometheusUrl?: string;
  /** Extra label matchers for the Prometheus query, e.g. `job="phoenix-core"` (PHOENIX_PROMETHEUS_SELECTOR). */
  prometheusSelector: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  /** A reading older than this is stale: KPIs become absent. */
  staleAfterSeconds: number;
  /** Port of the observer's own /metrics (PHOENIX_OBSERVER_PORT). */
  port: number;
  bindAddress: string;
}

export const defaultObserverConfig: ObserverConfig = {
  coreUrl: 'http://127.0.0.1:8891',
  prometheusSelector: '',
  intervalSeconds: 15,
  timeoutSeconds: 5,
  staleAfterSeconds: 45,
  port: 9888,
  bindAddress: '127.0.0.1',
};

export function validateObserverConfig(c: ObserverConfig, prefix = 'observer'): string[] {
  const e = new ConfigErrors();
  e.url(`${prefix}.coreUrl`, c.coreUrl);
  e.url(`${prefix}.prometheusUrl`, c.prometheusUrl, true);
  e.labelMatchers(`${prefix}.prometheusSelector`, c.prometheusSelector);
  e.number(`${prefix}.intervalSeconds`, c.intervalSeconds, { min: 0, exclusiveMin: true, max: 3600 });
  e.number(`${prefix}.timeoutSeconds`, c.timeoutSeconds, { min: 0, exclusiveMin: true, max: 300 });
  e.number(`${prefix}.staleAfterSeconds`, c.staleAfterSeconds, { min: 0, exclusiveMin: true });
  if (c.staleAfterSeconds < c.intervalSeconds) {
    e.add(`${prefix}.staleAfterSeconds`, `must be >= ${prefix}.intervalSeconds (${c.intervalSeconds}), or every reading is stale`);
  }
  e.port(`${prefix}.port`, c.port);
  e.nonEmpty(`${prefix}.bindAddress`, c.bindAddress);
  return e.messages;
}
