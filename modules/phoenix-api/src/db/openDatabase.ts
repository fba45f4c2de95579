import type { Clock, Logger } from '@phoenix/runtime';
import type { DatabaseConfig } from './config';
import type { Database } from './database';
import { PgDatabase } from './pgDatabase';
import { PgliteDatabase } from './pgliteDatabase';

/** PHOENIX_DATABASE_URL set: PostgreSQL; unset: PGlite in `pgliteDir`. */
export function openDatabase(config: DatabaseConfig, deps: { clock?: Clock; log: Logger }): Promise<Database> {
  if (config.url !== undefined) return PgDatabase.open({ ...config, url: config.url }, deps);
  return PgliteDatabase.open(config.pgliteDir, { ...deps, retryAfterSeconds: config.retryAfterSeconds });
}
