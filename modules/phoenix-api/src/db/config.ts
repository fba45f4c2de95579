import { ConfigErrors } from '@phoenix/runtime';

/** Where phoenix-api keeps its state and how it talks to it. */
export interface DatabaseConfig {
  /** PHOENIX_DATABASE_URL: PostgreSQL (`postgres://` or `postgresql://`); unset = embedded PGlite */
  url?: string;
  /** the PGlite data directory (`<PHOENIX_DATA_DIR>/pglite`) */
  pgliteDir: string;
  /** most connections of the pool */
  poolMax: number;
  /** a connection (or a free pool slot) that takes longer fails with 503 */
  connectTimeoutSeconds: number;
  /** a statement that runs longer is cancelled (server side) and fails with 503 */
  statementTimeoutSeconds: number;
  /** idle pooled connections are closed after this */
  idleTimeoutSeconds: number;
  /** how often the database is probed for /health and to notice it is back */
  healthIntervalSeconds: number;
  /** the Retry-After of a 503 while the database is unreachable */
  retryAfterSeconds: number;
  /** longest wait between two attempts to re-open the notification and leader connections */
  reconnectMaxSeconds: number;
}

export const defaultDatabaseConfig: Omit<DatabaseConfig, 'pgliteDir'> = {
  poolMax: 10,
  connectTimeoutSeconds: 3,
  statementTimeoutSeconds: 10,
  idleTimeoutSeconds: 30,
  healthIntervalSeconds: 2,
  retryAfterSeconds: 5,
  reconnectMaxSeconds: 5,
};

export function validateDatabaseConfig(c: DatabaseConfig, prefix = 'database'): string[] {
  const e = new ConfigErrors();
  if (c.url !== undefined) {
    let ok = false;
    try {
      ok = ['postgres:', 'postgresql:'].includes(new URL(c.url).protocol);
    } catch {
      ok = false;
    }
    if (!ok) e.add(`${prefix}.url`, 'must be a postgres:// or postgresql:// URL');
  }
  e.nonEmpty(`${prefix}.pgliteDir`, c.pgliteDir);
  if (c.pgliteDir.includes('\0')) e.add(`${prefix}.pgliteDir`, 'must be a path (it contains a NUL byte)');
  e.number(`${prefix}.poolMax`, c.poolMax, { integer: true, min: 1, max: 1000 });
  e.number(`${prefix}.connectTimeoutSeconds`, c.connectTimeoutSeconds, { min: 0.1, max: 600 });
  e.number(`${prefix}.statementTimeoutSeconds`, c.statementTimeoutSeconds, { min: 0.1, max: 3600 });
  e.number(`${prefix}.idleTimeoutSeconds`, c.idleTimeoutSeconds, { min: 1, max: 86400 });
  e.number(`${prefix}.healthIntervalSeconds`, c.healthIntervalSeconds, { min: 0.1, max: 3600 });
  e.number(`${prefix}.retryAfterSeconds`, c.retryAfterSeconds, { integer: true, min: 1, max: 3600 });
  e.number(`${prefix}.reconnectMaxSeconds`, c.reconnectMaxSeconds, { min: 0.1, max: 3600 });
  return e.messages;
}
