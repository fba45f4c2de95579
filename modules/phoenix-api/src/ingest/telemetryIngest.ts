import type { AgentIngestResponse, AgentLogsBatch, AgentMetricsBatch } from '@phoenix/contracts';
import type { Clock } from '@phoenix/runtime';
import type { Database } from '../db/database';
import { kpiRepo } from '../repo/kpiRepo';
import { logRepo } from '../repo/logRepo';
import type { ApiMetrics } from '../telemetry/metrics';
import type { IngestConfig } from './config';

/**
 * KPI batches and log lines of the agents: one row per (host, seq), so a batch sent twice (the agent's
 * outbox retrying) counts once; each host's history is kept bounded in the same transaction.
 */
export class TelemetryIngest {
  constructor(private readonly d: { db: Database; config: IngestConfig; clock: Clock; metrics: ApiMetrics }) {}

  async metrics(hostId: string, batch: AgentMetricsBatch): Promise<AgentIngestResponse> {
    const now = this.d.clock.now();
    const out = await this.d.db.transaction(async (tx) => {
      const accepted = await kpiRepo.insert(tx, hostId, batch.samples, new Date(now));
      await kpiRepo.prune(tx, hostId, this.d.config.kpiHistorySamples, new Date(now - this.d.config.kpiHistorySeconds * 1000));
      return { accepted, duplicates: batch.samples.length - accepted, last_seq: await kpiRepo.lastSeq(tx, hostId) };
    });
    this.d.metrics.ingested.inc({ kind: 'kpi', result: 'accepted' }, out.accepted);
    this.d.metrics.ingested.inc({ kind: 'kpi', result: 'duplicate' }, out.duplicates);
    return out;
  }

  async logs(hostId: string, batch: AgentLogsBatch): Promise<AgentIngestResponse> {
    const out = await this.d.db.transaction(async (tx) => {
      const accepted = await logRepo.insert(tx, hostId, batch.lines);
      await logRepo.prune(tx, hostId, this.d.config.logHistoryLines);
      return { accepted, duplicates: batch.lines.length - accepted, last_seq: await logRepo.lastSeq(tx, hostId) };
    });
    this.d.metrics.ingested.inc({ kind: 'log', result: 'accepted' }, out.accepted);
    this.d.metrics.ingested.inc({ kind: 'log', result: 'duplicate' }, out.duplicates);
    return out;
  }
}
