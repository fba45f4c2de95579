import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger, systemClock, type Clock, type Logger } from '@phoenix/runtime';
import { startPostgres, type PostgresHandle } from '@phoenix/testkit';
import { defaultDatabaseConfig, type DatabaseConfig } from '../../src/db/config';
import type { Backend, Database } from '../../src/db/database';
import { openDatabase } from '../../src/db/openDatabase';

/** One backend of a parameterized suite: its own database, opened as often as the test wants. */
export interface DbHarness {
  readonly backend: Backend;
  /** the config of this suite's own database (short timeouts, so outages are noticed quickly) */
  readonly config: DatabaseConfig;
  /** the real PostgreSQL cluster (postgresql only) */
  readonly postgres: PostgresHandle | undefined;
  /** a temp directory of this suite (PHOENIX_DATA_DIR) */
  readonly dataDir: string;
  /** opens a Database on the suite's database; closed after the suite unless closed before */
  open(deps?: { clock?: Clock; log?: Logger }): Promise<Database>;
}

export const BACKENDS: Backend[] = ['pglite', 'postgresql'];

let suiteSeq = 0;

/**
 * Runs `body` once per backend (PGlite in a temp directory, a real PostgreSQL 15 started for the suite), so
 * the same SQL and the same tests run on both. `body` gets a getter: the harness exists once beforeAll ran.
 */
export function eachBackend(body: (h: () => DbHarness) => void, backends: Backend[] = BACKENDS): void {
  describe.each(backends)('%s', (backend) => {
    let harness: DbHarness | undefined;
    let pg: PostgresHandle | undefined;
    let dir = '';
    const opened: Database[] = [];
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `phoenix-api-${backend}-`));
      let url: string | undefined;
      if (backend === 'postgresql') {
        pg = await startPostgres();
        url = await pg.createDatabase(`suite_${process.pid}_${++suiteSeq}`);
      }
      const config: DatabaseConfig = {
        ...defaultDatabaseConfig,
        url,
        pgliteDir: path.join(dir, 'pglite'),
        connectTimeoutSeconds: 1,
        statementTimeoutSeconds: 5,
        healthIntervalSeconds: 0.2,
        retryAfterSeconds: 2,
        reconnectMaxSeconds: 0.5,
      };
      harness = {
        backend,
        config,
        postgres: pg,
        dataDir: dir,
        open: async (deps = {}) => {
          const db = await openDatabase(config, { clock: deps.clock ?? systemClock, log: deps.log ?? silentLogger() });
          opened.push(db);
          return db;
        },
      };
    }, 120_000);
    afterAll(async () => {
      for (const db of opened) await db.close().catch(() => undefined);
      await pg?.destroy();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }, 60_000);
    body(() => {
      if (!harness) throw new Error('the backend harness is not ready (beforeAll failed)');
      return harness;
    });
  });
}
