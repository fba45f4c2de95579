import type { AgentTaskStatus, KpiSample, LogLine } from '@phoenix/contracts';
import { createLogLimiter, type Clock, type Logger } from '@phoenix/runtime';
import type { StateDir } from '../state/stateDir';
import type { MetricsRegistry } from '../telemetry/metrics';
import type { OutboxConfig } from './config';
import { OutboxLane } from './outboxLane';

/** A task's status report waiting for delivery. */
export interface PendingReport {
  task_id: string;
  type: string;
  report: AgentTaskStatus;
}

/**
 * What the agent has to tell the API and has not had acknowledged: task reports, KPI samples, log lines,
 * each an ordered, bounded, persisted lane.
 */
export class Outbox {
  readonly reports: OutboxLane<PendingReport>;
  readonly metrics: OutboxLane<KpiSample>;
  readonly logs: OutboxLane<LogLine>;
  private reportSeq = 0;

  constructor(cfg: OutboxConfig, dir: StateDir, clock: Clock, log: Logger, registry: MetricsRegistry) {
    const metrics = {
      entries: registry.gauge('phoenix_agent_outbox_entries', 'Entries waiting for the API, by lane (reports, metrics, logs).', ['lane']),
      dropped: registry.counter('phoenix_agent_outbox_dropped_total', 'Entries dropped because the lane was full, by lane.', ['lane']),
    };
    const limiter = createLogLimiter(log, { first: 5, intervalMs: 60_000, clock });
    const lane = <P>(name: string, maxEntries: number): OutboxLane<P> =>
      new OutboxLane<P>({ name, file: dir.file(`outbox-${name}.jsonl`), maxEntries, log, limiter, metrics });
    this.reports = lane<PendingReport>('reports', cfg.maxReports);
    this.metrics = lane<KpiSample>('metrics', cfg.maxSamples);
    this.logs = lane<LogLine>('logs', cfg.maxLogLines);
  }

  open(): void {
    this.reports.open();
    this.metrics.open();
    this.logs.open();
    this.reportSeq = this.reports.lastSeq;
  }

  /** Queues a task's report (persisted before this returns). */
  addReport(r: PendingReport): void {
    this.reportSeq = Math.max(this.reportSeq, this.reports.lastSeq) + 1;
    this.reports.add([{ seq: this.reportSeq, payload: r }]);
  }

  sizes(): { reports: number; metrics: number; logs: number } {
    return { reports: this.reports.size, metrics: this.metrics.size, logs: this.logs.size };
  }

  close(): void {
    this.reports.close();
    this.metrics.close();
    this.logs.close();
  }
}
