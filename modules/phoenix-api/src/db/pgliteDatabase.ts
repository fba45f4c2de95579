import fs from 'node:fs';
import path from 'node:path';
import { PGlite, type Results } from '@electric-sql/pglite';
import { systemClock, type Clock, type Logger, processAlive } from '@phoenix/runtime';
import { checkChannel, unavailable, type Database, type DatabaseHealth, type QueryResult, type Row, type Session, type Transaction } from './database';
import { ChannelHandlers } from './channels';
import { HealthTracker } from './healthTracker';

function result<R>(r: Results<R>): QueryResult<R> {
  return { rows: r.rows, rowCount: r.rowCount ?? r.affectedRows ?? r.rows.length };
}

/**
 * Takes `<dir>.lock` for this process: PGlite is one process's database, two opening the same directory would
 * corrupt it (so would two instances in one process). A lock left by a dead process is taken over.
 */
function takeLock(dir: string): string {
  const file = `${dir}.lock`;
  for (let i = 0; i < 2; i++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && processAlive(owner)) {
        throw new Error(`the PGlite database ${dir} is in use by process ${owner} (set PHOENIX_DATABASE_URL to share a PostgreSQL between replicas)`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock the PGlite database ${dir}`);
}

/**
 * The embedded database (`npm start`, one process): PostgreSQL compiled to WebAssembly, in `dir`. It has one
 * connection: PGlite runs one transaction at a time and queries wait for it, so transactions are serialized.
 * Notifications are an in-process signal delivered after the commit. The process is the only session, so
 * session-level advisory locks are always granted.
 */
export class PgliteDatabase implements Database {
  readonly backend = 'pglite' as const;
  private readonly tracker: HealthTracker;
  private readonly handlers = new ChannelHandlers();
  private closed = false;

  private constructor(
    private readonly pg: PGlite,
    private readonly lockFile: string,
    private readonly retryAfterSeconds: number,
    clock: Clock,
    private readonly log: Logger,
  ) {
    this.tracker = new HealthTracker('pglite', clock);
  }

  static async open(dir: string, deps: { clock?: Clock; log: Logger; retryAfterSeconds?: number }): Promise<PgliteDatabase> {
    fs.mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
    const lockFile = takeLock(path.resolve(dir));
    try {
      const pg = await PGlite.create(path.resolve(dir));
      return new PgliteDatabase(pg, lockFile, deps.retryAfterSeconds ?? 5, deps.clock ?? systemClock, deps.log);
    } catch (err) {
      fs.rmSync(lockFile, { force: true });
      throw err;
    }
  }

  async query<R = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    this.checkOpen();
    return result(await this.pg.query<R>(sql, params as unknown[] | undefined));
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    this.checkOpen();
    const queued: Array<[string, string]> = [];
    const out = await this.pg.transaction(async (ptx) => {
      const tx: Transaction = {
        query: async <R = Row>(sql: string, params?: readonly unknown[]) => result(await ptx.query<R>(sql, params as unknown[] | undefined)),
        exec: async (sql: string) => {
          await ptx.exec(sql);
        },
        notify: async (channel: string, payload: string) => {
          queued.push([checkChannel(channel), payload]);
        },
      };
      return fn(tx);
    });
    for (const [channel, payload] of queued) this.dispatch(channel, payload);
    return out;
  }

  async listen(channel: string, fn: (payload: string) => void): Promise<() => void> {
    return this.handlers.add(channel, fn).remove;
  }

  /** The in-process signal is never lost: there is nothing to reconnect. */
  onReconnect(_fn: () => void): () => void {
    return () => undefined;
  }

  onHealthChange(fn: (health: DatabaseHealth) => void): () => void {
    return this.tracker.onChange(fn);
  }

  async session(): Promise<Session> {
    this.checkOpen();
    const closers: Array<(err?: Error) => void> = [];
    let closed = false;
    return {
      get closed() {
        return closed;
      },
      query: (sql, params) => this.query(sql, params),
      onClose: (fn) => {
        closers.push(fn);
      },
      close: async () => {
        if (closed) return;
        closed = true;
        for (const fn of closers) fn();
      },
    };
  }

  health(): DatabaseHealth {
    return this.tracker.health();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.tracker.markDown('closed');
    try {
      await this.pg.close();
    } finally {
      fs.rmSync(this.lockFile, { force: true });
    }
  }

  private checkOpen(): void {
    if (this.closed) throw unavailable(new Error('the database is closed (phoenix-api is stopping)'), this.retryAfterSeconds);
  }

  private dispatch(channel: string, payload: string): void {
    this.handlers.dispatch(channel, payload, (err) => this.log.error('notification handler failed', { channel, err }));
  }
}
