import { createLogLimiter, iso, type Clock, type Logger } from '@phoenix/runtime';
import type { Database } from '../db/database';
import { agentRepo } from '../repo/agentRepo';
import { taskRepo } from '../repo/taskRepo';
import { Periodic } from '../periodic';
import type { ApiMetrics } from '../telemetry/metrics';
import type { QueueConfig } from './config';
import { TASKS_CHANNEL } from './taskQueue';

export interface SweeperDeps {
  db: Database;
  config: QueueConfig;
  staleAfterSeconds: number;
  lostAfterSeconds: number;
  clock: Clock;
  log: Logger;
  metrics: ApiMetrics;
  /** only the leader sweeps */
  isLeader: () => boolean;
  /**
   * Since when agents could reach this API and its database (start, or the end of an outage): leases do not
   * expire and hosts are not lost until agents had a lease period (a lost period) to report again.
   */
  availableSince: () => number;
}

export interface SweepResult {
  requeued: number;
  failed: number;
  deadline: number;
  lostHosts: string[];
}

/**
 * The leader's periodic pass over the queue: expired leases back to pending (or failed after the last
 * attempt), open tasks past their deadline failed, open tasks of lost hosts failed; then the gauges.
 */
export class Sweeper {
  private readonly loop: Periodic;

  constructor(private readonly d: SweeperDeps) {
    const limited = createLogLimiter(d.log, { clock: d.clock, first: 3, intervalMs: 60_000 });
    this.loop = new Periodic(
      d.clock,
      d.config.sweepIntervalSeconds * 1000,
      async () => {
        if (!d.isLeader()) return;
        const r = await this.sweepOnce();
        if (r.requeued + r.failed + r.deadline + r.lostHosts.length > 0) d.log.info('queue sweep', { ...r });
      },
      (err) => limited.warn('sweep', 'queue sweep failed', { err: (err as Error).message }),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): void {
    this.loop.stop();
  }

  /** One pass (tests call it directly). */
  async sweepOnce(): Promise<SweepResult> {
    const now = this.d.clock.now();
    const up = now - this.d.availableSince();
    const result: SweepResult = { requeued: 0, failed: 0, deadline: 0, lostHosts: [] };
    if (up >= this.d.config.leaseSeconds * 1000) {
      await this.d.db.transaction(async (tx) => {
        const rows = await taskRepo.expireLeases(tx, new Date(now));
        const hosts = new Set<string>();
        for (const r of rows) {
          this.d.metrics.taskEvents.inc({ type: r.type, event: 'lease_expired' });
          if (r.status === 'pending') {
            result.requeued += 1;
            hosts.add(r.host_id);
          } else result.failed += 1;
        }
        for (const h of hosts) await tx.notify(TASKS_CHANNEL, h);
      });
    }
    const late = await taskRepo.failPastDeadline(this.d.db, new Date(now));
    for (const r of late) this.d.metrics.taskEvents.inc({ type: r.type, event: 'deadline_failed' });
    result.deadline = late.length;
    if (up >= this.d.lostAfterSeconds * 1000) {
      const lost = await taskRepo.lostHostsWithOpenTasks(this.d.db, new Date(now - this.d.lostAfterSeconds * 1000));
      for (const host of lost) {
        const failed = await taskRepo.failOpenOfHost(this.d.db, host.host_id, new Date(now), `host ${host.host_id} lost: no heartbeat since ${iso(host.last_heartbeat.getTime())}`);
        for (const r of failed) this.d.metrics.taskEvents.inc({ type: r.type, event: 'host_lost_failed' });
        result.lostHosts.push(host.host_id);
      }
    }
    await this.refreshGauges(now);
    return result;
  }

  private async refreshGauges(now: number): Promise<void> {
    const counts = await taskRepo.counts(this.d.db);
    this.d.metrics.tasks.reset();
    let pending = 0;
    for (const c of counts) {
      this.d.metrics.tasks.set({ type: c.type, status: c.status }, c.n);
      if (c.status === 'pending') pending += c.n;
    }
    this.d.metrics.queueDepth.set(pending);
    const agents = await agentRepo.countByStatus(this.d.db, new Date(now - this.d.staleAfterSeconds * 1000), new Date(now - this.d.lostAfterSeconds * 1000));
    for (const [status, n] of Object.entries(agents)) this.d.metrics.agents.set({ status }, n);
  }
}
