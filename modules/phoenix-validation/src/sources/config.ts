import { ConfigErrors } from '@phoenix/runtime';

/** Where the stack is and how to read it. */
export interface SourcesConfig {
  /** Base URL of the core's observatory (:8891). */
  coreUrl: string;
  /** full_fidelity (:8888), experimental_topk (:8890) and active output (:8892) endpoints, each a /metrics URL. */
  fullFidelityUrl: string;
  experimentalTopkUrl: string;
  activeUrl: string;
  /** phoenix-control's observer (:9888), for the ingest rate; undefined: not read. */
  observerUrl?: string;
  /** Prometheus HTTP API; set: KPIs come from Prometheus instead of a direct scrape. */
  prometheusUrl?: string;
  prometheusSelector: string;
  generatorsUrl: string;
  /** phoenix-control's API (:8080), for the reasons of the transitions; undefined: not read. */
  controlUrl?: string;
  timeoutSeconds: number;
}

/** The stack on its default loopback ports, read directly (no Prometheus). */
export const defaultSourcesConfig: SourcesConfig = {
  coreUrl: 'http://127.0.0.1:8891',
  fullFidelityUrl: 'http://127.0.0.1:8888/metrics',
  experimentalTopkUrl: 'http://127.0.0.1:8890/metrics',
  activeUrl: 'http://127.0.0.1:8892/metrics',
  observerUrl: 'http://127.0.0.1:9888',
  prometheusSelector: '',
  generatorsUrl: 'http://127.0.0.1:8082',
  controlUrl: 'http://127.0.0.1:8080',
  timeoutSeconds: 10,
};

export function validateSourcesConfig(c: SourcesConfig, prefix = 'sources'): string[] {
  const e = new ConfigErrors();
  e.url(`${prefix}.coreUrl`, c.coreUrl);
  e.url(`${prefix}.fullFidelityUrl`, c.fullFidelityUrl);
  e.url(`${prefix}.experimentalTopkUrl`, c.experimentalTopkUrl);
  e.url(`${prefix}.activeUrl`, c.activeUrl);
  e.url(`${prefix}.observerUrl`, c.observerUrl, true);
  e.url(`${prefix}.prometheusUrl`, c.prometheusUrl, true);
  e.labelMatchers(`${prefix}.prometheusSelector`, c.prometheusSelector);
  e.url(`${prefix}.generatorsUrl`, c.generatorsUrl);
  e.url(`${prefix}.controlUrl`, c.controlUrl, true);
  e.number(`${prefix}.timeoutSeconds`, c.timeoutSeconds, { min: 0, exclusiveMin: true, max: 300 });
  return e.messages;
}
