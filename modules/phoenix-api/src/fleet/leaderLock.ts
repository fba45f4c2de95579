import { createLogLimiter, type Clock, type Logger, type LogLimiter } from '@phoenix/runtime';
import type { Database, Session } from '../db/database';
import { Periodic } from '../periodic';

/** The session advisory lock whose holder runs the sweeps and the fleet controller. */
export const LEADER_LOCK_KEY = 7_244_002;

/**
 * One leader among the replicas sharing a PostgreSQL: a session-level advisory lock held on a dedicated
 * connection. Losing the connection loses the lock (PostgreSQL releases it), so leadership ends with it and is
 * tried again every `retryMs`, also after a reconnect. With PGlite the process is the only session: leader.
 */
export class LeaderLock {
  private session: Session | undefined;
  private leader = false;
  private readonly loop: Periodic;
  private stopped = false;
  private readonly limited: LogLimiter;

  constructor(
    private readonly d: { db: Database; clock: Clock; log: Logger; retryMs: number; onChange?: (leader: boolean) => void },
  ) {
    this.limited = createLogLimiter(d.log, { clock: d.clock, first: 3, intervalMs: 60_000 });
    this.loop = new Periodic(d.clock, d.retryMs, () => this.attempt());
  }

  isLeader(): boolean {
    return this.leader;
  }

  /** Tries once now, then every retryMs. */
  async start(): Promise<void> {
    await this.attempt();
    this.loop.start();
  }

  /** Gives the lock up (closing its connection). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.loop.stop();
    const s = this.session;
    this.session = undefined;
    if (s) {
      if (this.d.db.backend === 'pglite') await s.query('SELECT pg_advisory_unlock($1)', [LEADER_LOCK_KEY]).catch(() => undefined);
      await s.close();
    }
    this.set(false);
  }

  private set(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    this.d.log.info(leader ? 'this replica is the leader' : 'this replica is no longer the leader');
    this.d.onChange?.(leader);
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.session || this.session.closed) {
        const s = await this.d.db.session();
        s.onClose(() => {
          if (this.session === s) this.session = undefined;
          this.set(false);
        });
        this.session = s;
      }
      if (this.leader) {
        await this.session.query('SELECT 1');
        return;
      }
      const { rows } = await this.session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LEADER_LOCK_KEY]);
      this.set(rows[0]?.ok === true);
    } catch (err) {
      this.limited.warn('leader', 'leader lock: no database session', { err: (err as Error).message });
      const s = this.session;
      this.session = undefined;
      await s?.close();
      this.set(false);
    }
  }
}
