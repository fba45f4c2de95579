import fs from 'node:fs';
import { ConfigErrors } from '@phoenix/runtime';

/** The host's phoenix-core: where it is, whether the agent runs it, how often it is read. */
export interface CoreConfig {
  /** true: the agent starts and supervises phoenix-core (and phoenix-control) as child processes */
  manage: boolean;
  /** the core's observatory, base URL (`/metrics` is appended) */
  url: string;
  /** the core's health endpoint */
  healthUrl: string;
  /** the core's OTLP/HTTP receiver (load simulations send there) */
  otlpHttpUrl: string;
  /** the script of a managed core (default: @phoenix/core's dist/main.js) */
  main: string;
  /** observatory scrapes (KPI samples, pushes) every this */
  metricsIntervalSeconds: number;
  /** deadline of one scrape or health probe */
  scrapeTimeoutSeconds: number;
  /** health probes of the core (and a managed control) every this */
  healthIntervalSeconds: number;
  /** a managed child that dies is restarted after min, doubling up to max */
  restartMinSeconds: number;
  restartMaxSeconds: number;
  /** SIGTERM, then SIGKILL after this, when stopping a managed child */
  stopGraceSeconds: number;
}

export const defaultCoreConfig: Omit<CoreConfig, 'main'> = {
  manage: false,
  url: 'http://127.0.0.1:8891',
  healthUrl: 'http://127.0.0.1:13133/health',
  otlpHttpUrl: 'http://127.0.0.1:4318',
  metricsIntervalSeconds: 10,
  scrapeTimeoutSeconds: 5,
  healthIntervalSeconds: 5,
  restartMinSeconds: 0.5,
  restartMaxSeconds: 30,
  stopGraceSeconds: 10,
};

export function validateCoreConfig(c: CoreConfig, prefix = 'core'): string[] {
  const e = new ConfigErrors();
  e.url(`${prefix}.url`, c.url);
  e.url(`${prefix}.healthUrl`, c.healthUrl);
  e.url(`${prefix}.otlpHttpUrl`, c.otlpHttpUrl);
  if (c.manage && !c.main) e.add(`${prefix}.main`, 'is required with a managed core (@phoenix/core is not installed here)');
  else if (c.manage && !fs.existsSync(c.main)) e.add(`${prefix}.main`, `must be an existing file (got ${c.main})`);
  e.number(`${prefix}.metricsIntervalSeconds`, c.metricsIntervalSeconds, { min: 0.05, max: 3600 });
  e.number(`${prefix}.scrapeTimeoutSeconds`, c.scrapeTimeoutSeconds, { min: 0.05, max: 300 });
  e.number(`${prefix}.healthIntervalSeconds`, c.healthIntervalSeconds, { min: 0.05, max: 3600 });
  e.number(`${prefix}.restartMinSeconds`, c.restartMinSeconds, { min: 0.01, max: 3600 });
  e.number(`${prefix}.restartMaxSeconds`, c.restartMaxSeconds, { min: 0.01, max: 3600 });
  if (c.restartMaxSeconds < c.restartMinSeconds) e.add(`${prefix}.restartMaxSeconds`, `must be >= restartMinSeconds (${c.restartMinSeconds})`);
  e.number(`${prefix}.stopGraceSeconds`, c.stopGraceSeconds, { min: 0, max: 600 });
  return e.messages;
}
