import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock, Logger } from '@phoenix/runtime';
import type { Database } from './database';

/** One numbered SQL file of `migrations/`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** sha256 of the file, hex */
  checksum: string;
}

/** The advisory lock every replica takes before it looks at or changes the schema. */
export const MIGRATION_LOCK_KEY = 7_244_001;

/** modules/phoenix-api/migrations (from src/db or dist/db). */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', '..', 'migrations');

/** Reads `NNNN_name.sql` files in version order; anything else in the directory is an error. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of fs.readdirSync(dir).sort()) {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m) throw new Error(`migrations: ${file} is not named NNNN_name.sql`);
    const sql = fs.readFileSync(path.join(dir, file), 'utf8');
    const version = Number(m[1]);
    if (out.some((x) => x.version === version)) throw new Error(`migrations: two files have version ${m[1]}`);
    out.push({ version, name: file, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') });
  }
  return out;
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL
)`;

/**
 * Brings the schema up to date: each pending migration in its own transaction, under a transaction-level
 * advisory lock so that replicas starting together apply each file once. An applied file whose checksum
 * changed, or a database with versions this code does not know, stops the start.
 */
export async function migrate(db: Database, migrations: Migration[], clock: Pick<Clock, 'now'>, log: Logger): Promise<{ applied: string[] }> {
  const applied: string[] = [];
  const known = new Set(migrations.map((m) => m.version));
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(CREATE_TABLE);
    const { rows } = await tx.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    const unknown = rows.filter((r) => !known.has(r.version));
    if (unknown.length > 0) {
      throw new Error(`the database has migrations this phoenix-api does not know (${unknown.map((r) => r.name).join(', ')}): it is older than the schema`);
    }
  });
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await tx.query("SET LOCAL statement_timeout = '10min'");
      const { rows } = await tx.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE version = $1', [m.version]);
      if (rows.length > 0) {
        if (rows[0].checksum !== m.checksum) {
          throw new Error(`migration ${m.name} was changed after it was applied (checksum ${rows[0].checksum} in the database, ${m.checksum} in the file): add a new migration instead`);
        }
        return false;
      }
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [m.version, m.name, m.checksum, new Date(clock.now())]);
      return true;
    });
    if (done) {
      applied.push(m.name);
      log.info('migration applied', { migration: m.name });
    }
  }
  return { applied };
}
