import { ConfigErrors } from '@phoenix/runtime';

/** Bounds of the outbox: what the agent keeps while the API cannot take it. */
export interface OutboxConfig {
  /** task status reports kept (each is a finished task: they are never dropped before this) */
  maxReports: number;
  /** KPI samples kept: 10,000 at the 10 s default is ~28 hours of outage */
  maxSamples: number;
  /** log lines kept */
  maxLogLines: number;
  /** samples per POST /api/v1/agent/metrics (the contract allows 1,000) */
  metricsBatch: number;
  /** lines per POST /api/v1/agent/logs (the contract allows 5,000) */
  logsBatch: number;
}

export const defaultOutboxConfig: OutboxConfig = {
  maxReports: 10_000,
  maxSamples: 10_000,
  maxLogLines: 20_000,
  metricsBatch: 500,
  logsBatch: 1000,
};

export function validateOutboxConfig(c: OutboxConfig, prefix = 'outbox'): string[] {
  const e = new ConfigErrors();
  e.number(`${prefix}.maxReports`, c.maxReports, { integer: true, min: 1, max: 1_000_000 });
  e.number(`${prefix}.maxSamples`, c.maxSamples, { integer: true, min: 1, max: 1_000_000 });
  e.number(`${prefix}.maxLogLines`, c.maxLogLines, { integer: true, min: 1, max: 1_000_000 });
  e.number(`${prefix}.metricsBatch`, c.metricsBatch, { integer: true, min: 1, max: 1000 });
  e.number(`${prefix}.logsBatch`, c.logsBatch, { integer: true, min: 1, max: 5000 });
  return e.messages;
}
