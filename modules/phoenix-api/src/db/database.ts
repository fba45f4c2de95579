import { UnavailableError } from '@phoenix/runtime';

/** Which engine holds phoenix-api's state. */
export type Backend = 'pglite' | 'postgresql';

export type Row = Record<string, unknown>;

export interface QueryResult<R> {
  rows: R[];
  /** rows changed by INSERT/UPDATE/DELETE, else rows returned */
  rowCount: number;
}

/** Anything that runs one parameterized SQL statement. */
export interface Queryable {
  query<R = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/** The handle a transaction body gets: every statement runs in the transaction. */
export interface Transaction extends Queryable {
  /** runs a script of several statements without parameters (migrations) */
  exec(sql: string): Promise<void>;
  /**
   * Queues a notification on `channel`: delivered to every listener (on every replica, with PostgreSQL) when
   * the transaction commits, never when it rolls back.
   */
  notify(channel: string, payload: string): Promise<void>;
}

/** A dedicated connection (session-level advisory locks); `onClose` fires once when it is lost or closed. */
export interface Session extends Queryable {
  readonly closed: boolean;
  onClose(fn: (err?: Error) => void): void;
  close(): Promise<void>;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/** What /health reports about the database. */
export interface DatabaseHealth {
  backend: Backend;
  up: boolean;
  /** why it is down (while up is false) */
  error?: string;
  /** since when `up` has had its current value (ms since the epoch) */
  since: number;
  pool?: PoolStats;
}

/**
 * phoenix-api's database: PostgreSQL through a bounded pool, or embedded PGlite. Errors of an unreachable
 * database are {@link UnavailableError}s (503 + Retry-After), never hangs.
 */
export interface Database extends Queryable {
  readonly backend: Backend;
  /** runs `fn` in one transaction: committed when it resolves, rolled back when it throws */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** subscribes `fn` to notifications on `channel`; resolves with the unsubscribe function */
  listen(channel: string, fn: (payload: string) => void): Promise<() => void>;
  /**
   * `fn` runs after the notification connection was re-established: notifications sent meanwhile are lost,
   * so whoever waits for one must look again.
   */
  onReconnect(fn: () => void): () => void;
  /** `fn` runs when the database goes down or comes back */
  onHealthChange(fn: (health: DatabaseHealth) => void): () => void;
  /** a dedicated connection (PGlite: the one session) */
  session(): Promise<Session>;
  health(): DatabaseHealth;
  close(): Promise<void>;
}

/** Channel names are SQL identifiers of our own choosing: lower case, digits, underscores. */
export function checkChannel(channel: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid notification channel ${JSON.stringify(channel)}`);
  return channel;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
const CONNECTION_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection error and is not queryable/i,
  /query read timeout/i,
  /client was closed and is not queryable/i,
  /cannot use a pool after calling end/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/**
 * True when `err` says the database cannot be reached or cannot answer now (as opposed to a bad statement):
 * socket errors, pool and connect timeouts, SQLSTATE class 08 (connection exception), 53 (insufficient
 * resources), 57P01-57P03 (shutdown, cannot connect now), 57014 (statement timeout), 40001/40P01 (retry).
 */
export function isUnavailable(err: unknown): boolean {
  if (err instanceof UnavailableError) return true;
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (CONNECTION_CODES.has(code)) return true;
  if (/^(08|53)/.test(code) || ['57P01', '57P02', '57P03', '57014', '40001', '40P01'].includes(code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return CONNECTION_MESSAGES.some((re) => re.test(message));
}

/** The error a caller sees when the database cannot answer: 503 with Retry-After. */
export function unavailable(err: unknown, retryAfterSeconds: number): UnavailableError {
  if (err instanceof UnavailableError) return err;
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : String(e?.code ?? err);
  return new UnavailableError(`database unavailable: ${message}`, 'database_unavailable', retryAfterSeconds);
}

/** Rethrows `err` as an UnavailableError when it is one, as is otherwise. */
export function mapDatabaseError(err: unknown, retryAfterSeconds: number): Error {
  if (isUnavailable(err)) return unavailable(err, retryAfterSeconds);
  return err instanceof Error ? err : new Error(String(err));
}
