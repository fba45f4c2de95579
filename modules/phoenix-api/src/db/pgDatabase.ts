import pg from 'pg';
import { createLogLimiter, systemClock, type Clock, type Logger, type LogLimiter } from '@phoenix/runtime';
import type { DatabaseConfig } from './config';
import { checkChannel, isUnavailable, unavailable, type Database, type DatabaseHealth, type QueryResult, type Row, type Session, type Transaction } from './database';
import { HealthTracker } from './healthTracker';
import { Periodic } from '../periodic';
import { PgNotificationListener } from './pgListener';

const INT8_OID = 20;

/** bigint columns as JS numbers (ids, seqs and counts here stay far below 2^53), everything else as pg does. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function result<R>(r: pg.QueryResult): QueryResult<R> {
  return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
}

export interface PgDatabaseDeps {
  clock?: Clock;
  log: Logger;
}

/**
 * PostgreSQL through `pg`: a bounded pool with connect and statement timeouts; an unreachable database is an
 * UnavailableError (503 + Retry-After) at once, never a hang. The pool reconnects by itself (each checkout may
 * open a new connection); a probe every `healthIntervalSeconds` keeps /health true without traffic. One
 * dedicated LISTEN connection per process carries the notifications (see {@link PgNotificationListener}).
 */
export class PgDatabase implements Database {
  readonly backend = 'postgresql' as const;
  private readonly pool: pg.Pool;
  private readonly listener: PgNotificationListener;
  private readonly tracker: HealthTracker;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly limited: LogLimiter;
  private readonly clientConfig: pg.ClientConfig;
  private readonly probe: Periodic;
  private closed = false;

  private constructor(
    private readonly config: DatabaseConfig & { url: string },
    deps: PgDatabaseDeps,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log;
    this.limited = createLogLimiter(this.log, { clock: this.clock, first: 5, intervalMs: 30_000 });
    const statementMs = Math.round(config.statementTimeoutSeconds * 1000);
    this.clientConfig = {
      connectionString: config.url,
      connectionTimeoutMillis: Math.round(config.connectTimeoutSeconds * 1000),
      statement_timeout: statementMs,
      query_timeout: statementMs + 2000,
      application_name: 'phoenix-api',
      keepAlive: true,
      types,
    };
    this.pool = new pg.Pool({ ...this.clientConfig, max: config.poolMax, idleTimeoutMillis: Math.round(config.idleTimeoutSeconds * 1000) });
    // an idle connection the server closed (restart, failover): the pool drops it; the next checkout reconnects
    this.pool.on('error', (err) => this.noteFailure(err));
    this.tracker = new HealthTracker('postgresql', this.clock, () => ({
      total: this.pool.totalCount,
      idle: this.pool.idleCount,
      waiting: this.pool.waitingCount,
      max: config.poolMax,
    }));
    this.listener = new PgNotificationListener(this.clientConfig, {
      clock: this.clock,
      log: this.log.child({ component: 'notifications' }),
      reconnectMaxMs: config.reconnectMaxSeconds * 1000,
      pingIntervalMs: config.healthIntervalSeconds * 1000,
    });
    this.probe = new Periodic(this.clock, config.healthIntervalSeconds * 1000, async () => {
      try {
        await this.pool.query('SELECT 1');
        if (!this.tracker.up) this.log.info('database is back');
        this.tracker.markUp();
      } catch (err) {
        if (isUnavailable(err)) this.noteFailure(err);
        else this.limited.error('probe', 'database probe failed', { err });
      }
    });
  }

  /** Connects (the first query and the LISTEN connection must succeed) and starts the health probe. */
  static async open(config: DatabaseConfig & { url: string }, deps: PgDatabaseDeps): Promise<PgDatabase> {
    const db = new PgDatabase(config, deps);
    try {
      await db.query('SELECT 1');
      await db.listener.start();
    } catch (err) {
      await db.close();
      throw db.mapError(err);
    }
    db.probe.start();
    return db;
  }

  async query<R = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    this.checkOpen();
    try {
      const r = await this.pool.query(sql, params as unknown[] | undefined);
      this.tracker.markUp();
      return result<R>(r);
    } catch (err) {
      throw this.mapError(err);
    }
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    this.checkOpen();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw this.mapError(err);
    }
    let broken = false;
    // a checked-out connection that breaks emits 'error': without a listener that would crash the process
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    const tx: Transaction = {
      query: async <R = Row>(sql: string, params?: readonly unknown[]) => result<R>(await client.query(sql, params as unknown[] | undefined)),
      exec: async (sql: string) => {
        await client.query(sql);
      },
      notify: async (channel: string, payload: string) => {
        await client.query('SELECT pg_notify($1, $2)', [checkChannel(channel), payload]);
      },
    };
    try {
      await client.query('BEGIN');
      const out = await fn(tx);
      await client.query('COMMIT');
      this.tracker.markUp();
      return out;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw this.mapError(err);
    } finally {
      client.off('error', onError);
      client.release(broken || undefined);
    }
  }

  listen(channel: string, fn: (payload: string) => void): Promise<() => void> {
    return this.listener.listen(channel, fn);
  }

  onReconnect(fn: () => void): () => void {
    return this.listener.onReconnect(fn);
  }

  onHealthChange(fn: (health: DatabaseHealth) => void): () => void {
    return this.tracker.onChange(fn);
  }

  async session(): Promise<Session> {
    this.checkOpen();
    const client = new pg.Client(this.clientConfig);
    let closed = false;
    const closers: Array<(err?: Error) => void> = [];
    const close = (err?: Error): void => {
      if (closed) return;
      closed = true;
      client.end().catch(() => undefined);
      for (const fn of closers) fn(err);
    };
    client.on('error', (err) => close(err));
    client.on('end', () => close());
    try {
      await client.connect();
    } catch (err) {
      closed = true;
      await client.end().catch(() => undefined);
      throw this.mapError(err);
    }
    return {
      get closed() {
        return closed;
      },
      query: async <R = Row>(sql: string, params?: readonly unknown[]) => {
        if (closed) throw unavailable(new Error('session closed'), this.config.retryAfterSeconds);
        try {
          return result<R>(await client.query(sql, params as unknown[] | undefined));
        } catch (err) {
          throw this.mapError(err);
        }
      },
      onClose: (fn) => {
        closers.push(fn);
      },
      close: async () => close(),
    };
  }

  health(): DatabaseHealth {
    return this.tracker.health();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.probe.stop();
    await this.listener.stop();
    await this.pool.end().catch(() => undefined);
  }

  private checkOpen(): void {
    if (this.closed) throw unavailable(new Error('the database connection is closed (phoenix-api is stopping)'), this.config.retryAfterSeconds);
  }

  private mapError(err: unknown): Error {
    if (!isUnavailable(err)) return err instanceof Error ? err : new Error(String(err));
    this.noteFailure(err);
    return unavailable(err, this.config.retryAfterSeconds);
  }

  private noteFailure(err: unknown): void {
    const message = (err as Error)?.message || String((err as { code?: unknown })?.code ?? err);
    if (this.tracker.up) this.limited.warn('down', 'database unavailable', { err: message });
    this.tracker.markDown(message);
  }
}
