import { ConfigErrors } from '@phoenix/runtime';

/** How agents report and how long what they report is kept. */
export interface IngestConfig {
  /** told to agents: how often to heartbeat */
  heartbeatIntervalSeconds: number;
  /** told to agents: how often to send KPIs */
  metricsIntervalSeconds: number;
  /** a host whose last heartbeat is older is stale */
  staleAfterSeconds: number;
  /** a host whose last heartbeat is older is lost (its open tasks fail) */
  lostAfterSeconds: number;
  /** heartbeats arriving within this window are written in one transaction */
  heartbeatBatchMs: number;
  /** most heartbeats per transaction */
  heartbeatBatchMax: number;
  /** KPI samples kept per host */
  kpiHistorySamples: number;
  /** KPI samples older than this are dropped */
  kpiHistorySeconds: number;
  /** log lines kept per host */
  logHistoryLines: number;
}

export const defaultIngestConfig: IngestConfig = {
  heartbeatIntervalSeconds: 10,
  metricsIntervalSeconds: 10,
  staleAfterSeconds: 30,
  lostAfterSeconds: 120,
  heartbeatBatchMs: 5,
  heartbeatBatchMax: 500,
  kpiHistorySamples: 1000,
  kpiHistorySeconds: 86400,
  logHistoryLines: 5000,
};

export function validateIngestConfig(c: IngestConfig, prefix = 'ingest'): string[] {
  const e = new ConfigErrors();
  e.number(`${prefix}.heartbeatIntervalSeconds`, c.heartbeatIntervalSeconds, { min: 0.1, max: 3600 });
  e.number(`${prefix}.metricsIntervalSeconds`, c.metricsIntervalSeconds, { min: 0.1, max: 3600 });
  e.number(`${prefix}.staleAfterSeconds`, c.staleAfterSeconds, { min: c.heartbeatIntervalSeconds, max: 86400 });
  if (c.lostAfterSeconds <= c.staleAfterSeconds) e.add(`${prefix}.lostAfterSeconds`, `must be > staleAfterSeconds (${c.staleAfterSeconds})`);
  else e.number(`${prefix}.lostAfterSeconds`, c.lostAfterSeconds, { max: 604800 });
  e.number(`${prefix}.heartbeatBatchMs`, c.heartbeatBatchMs, { min: 0, max: 1000 });
  e.number(`${prefix}.heartbeatBatchMax`, c.heartbeatBatchMax, { integer: true, min: 1, max: 10000 });
  e.number(`${prefix}.kpiHistorySamples`, c.kpiHistorySamples, { integer: true, min: 1, max: 1_000_000 });
  e.number(`${prefix}.kpiHistorySeconds`, c.kpiHistorySeconds, { min: 60, max: 31_536_000 });
  e.number(`${prefix}.logHistoryLines`, c.logHistoryLines, { integer: true, min: 1, max: 1_000_000 });
  return e.messages;
}

/** healthy / stale / lost from the heartbeat age. */
export function agentStatus(lastHeartbeatMs: number, nowMs: number, c: Pick<IngestConfig, 'staleAfterSeconds' | 'lostAfterSeconds'>): 'healthy' | 'stale' | 'lost' {
  const age = nowMs - lastHeartbeatMs;
  if (age < c.staleAfterSeconds * 1000) return 'healthy';
  if (age < c.lostAfterSeconds * 1000) return 'stale';
  return 'lost';
}
