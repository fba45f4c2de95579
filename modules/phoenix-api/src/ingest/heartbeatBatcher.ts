import type { AgentHeartbeat } from '@phoenix/contracts';
import type { Clock, TimerHandle } from '@phoenix/runtime';
import type { Database } from '../db/database';
import { agentRepo, type HeartbeatWrite } from '../repo/agentRepo';
import type { ApiMetrics } from '../telemetry/metrics';
import type { IngestConfig } from './config';

interface Pending {
  write: HeartbeatWrite;
  waiters: Array<{ resolve: (v: { registered: boolean; drained: boolean }) => void; reject: (e: unknown) => void }>;
}

/**
 * Group commit of heartbeats: those arriving within `heartbeatBatchMs` (or until `heartbeatBatchMax`) are
 * written in one transaction, then all answered, so 10,000 agents heartbeating cost a few transactions per
 * second, not one each. A heartbeat is answered only after its transaction committed. Two heartbeats of one
 * host in a batch: the later one is written, both are answered.
 */
export class HeartbeatBatcher {
  private batch = new Map<string, Pending>();
  private timer: TimerHandle | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly d: { db: Database; config: Pick<IngestConfig, 'heartbeatBatchMs' | 'heartbeatBatchMax'>; clock: Clock; metrics: ApiMetrics }) {}

  /** Resolves once the heartbeat is stored: whether it registered the host, whether the host is drained. */
  submit(hostId: string, body: AgentHeartbeat): Promise<{ registered: boolean; drained: boolean }> {
    return new Promise((resolve, reject) => {
      const write: HeartbeatWrite = { hostId, at: new Date(this.d.clock.now()), body };
      const existing = this.batch.get(hostId);
      if (existing) {
        existing.write = write;
        existing.waiters.push({ resolve, reject });
      } else {
        this.batch.set(hostId, { write, waiters: [{ resolve, reject }] });
      }
      if (this.batch.size >= this.d.config.heartbeatBatchMax) this.flush();
      else if (!this.timer) this.timer = this.d.clock.setTimeout(() => this.flush(), this.d.config.heartbeatBatchMs);
    });
  }

  /** Writes what is waiting now; resolves when every write started so far has finished. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.all([...this.inFlight]);
  }

  private flush(): void {
    if (this.timer) this.d.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.size === 0) return;
    const batch = [...this.batch.values()];
    this.batch = new Map();
    const p = this.write(batch).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const result = await this.d.db.transaction((tx) => agentRepo.writeHeartbeats(tx, batch.map((b) => b.write)));
      this.d.metrics.heartbeatBatchSize.observe(batch.length);
      for (const b of batch) {
        const r = result.get(b.write.hostId) ?? { registered: false, drained: false };
        this.d.metrics.heartbeats.inc({ result: 'stored' }, b.waiters.length);
        b.waiters.forEach((w, i) => w.resolve({ registered: r.registered && i === 0, drained: r.drained }));
      }
    } catch (err) {
      for (const b of batch) {
        this.d.metrics.heartbeats.inc({ result: 'failed' }, b.waiters.length);
        for (const w of b.waiters) w.reject(err);
      }
    }
  }
}
