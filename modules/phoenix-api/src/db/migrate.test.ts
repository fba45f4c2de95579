import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryLogger, silentLogger, systemClock } from '@phoenix/runtime';
import { eachBackend } from '../../test/helpers/dbHarness';
import type { Database } from './database';
import { loadMigrations, migrate, MIGRATIONS_DIR, type Migration } from './migrate';

function tempMigrations(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-migrations-'));
  for (const [name, sql] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), sql);
  return dir;
}

describe('loadMigrations', () => {
  it('reads the shipped NNNN_name.sql files in order, with their sha256', () => {
    const ms = loadMigrations(MIGRATIONS_DIR);
    expect(ms[0]).toMatchObject({ version: 1, name: '0001_init.sql' });
    expect(ms[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(ms.map((m) => m.version)).toEqual([...ms.map((m) => m.version)].sort((a, b) => a - b));
  });

  it('refuses a file not named NNNN_name.sql and two files of one version', () => {
    expect(() => loadMigrations(tempMigrations({ '0001_a.sql': 'SELECT 1', 'notes.txt': '' }))).toThrow('migrations: notes.txt is not named NNNN_name.sql');
    expect(() => loadMigrations(tempMigrations({ '0001_a.sql': 'SELECT 1', '0001_b.sql': 'SELECT 2' }))).toThrow('migrations: two files have version 0001');
  });
});

eachBackend((h) => {
  const first: Migration[] = loadMigrations(tempMigrations({ '0001_one.sql': 'CREATE TABLE one (v int); INSERT INTO one VALUES (1);' }));
  const second: Migration[] = loadMigrations(
    tempMigrations({ '0001_one.sql': 'CREATE TABLE one (v int); INSERT INTO one VALUES (1);', '0002_two.sql': 'CREATE TABLE two (v int);' }),
  );
  let db: Database;
  beforeAll(async () => {
    db = await h().open();
  });

  it('applies each pending file once, in a transaction, recording name and checksum', async () => {
    const log = memoryLogger();
    expect(await migrate(db, first, systemClock, log)).toEqual({ applied: ['0001_one.sql'] });
    expect(await migrate(db, first, systemClock, log)).toEqual({ applied: [] });
    expect(await migrate(db, second, systemClock, log)).toEqual({ applied: ['0002_two.sql'] });
    const { rows } = await db.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
    expect(rows).toEqual([
      { version: 1, name: '0001_one.sql', checksum: second[0].checksum },
      { version: 2, name: '0002_two.sql', checksum: second[1].checksum },
    ]);
    expect((await db.query('SELECT v FROM one')).rows).toEqual([{ v: 1 }]);
    expect(log.records.filter((r) => r.msg === 'migration applied').map((r) => r.migration)).toEqual(['0001_one.sql', '0002_two.sql']);
  });

  it('a failing file leaves nothing behind and is not recorded', async () => {
    const broken = loadMigrations(
      tempMigrations({
        '0001_one.sql': 'CREATE TABLE one (v int); INSERT INTO one VALUES (1);',
        '0002_two.sql': 'CREATE TABLE two (v int);',
        '0003_bad.sql': 'CREATE TABLE three (v int); INSERT INTO nowhere VALUES (1);',
      }),
    );
    await expect(migrate(db, broken, systemClock, silentLogger())).rejects.toThrow('relation "nowhere" does not exist');
    expect((await db.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'three'")).rows).toEqual([{ n: 0 }]);
    expect((await db.query('SELECT max(version) AS v FROM schema_migrations')).rows).toEqual([{ v: 2 }]);
  });

  it('stops on an applied file whose content changed, and on versions it does not know', async () => {
    const changed = loadMigrations(tempMigrations({ '0001_one.sql': 'CREATE TABLE one (v bigint);', '0002_two.sql': 'CREATE TABLE two (v int);' }));
    await expect(migrate(db, changed, systemClock, silentLogger())).rejects.toThrow(
      `migration 0001_one.sql was changed after it was applied (checksum ${first[0].checksum} in the database, ${changed[0].checksum} in the file): add a new migration instead`,
    );
    await expect(migrate(db, first, systemClock, silentLogger())).rejects.toThrow(
      'the database has migrations this phoenix-api does not know (0002_two.sql): it is older than the schema',
    );
  });

  it('replicas migrating at once apply each file once (advisory lock)', async () => {
    const others: Database[] = [];
    if (h().backend === 'pglite') {
      // one process owns a PGlite directory: a second instance is refused (it would corrupt the files)
      await expect(h().open()).rejects.toThrow(`the PGlite database ${h().config.pgliteDir} is in use by process ${process.pid}`);
    } else {
      others.push(...(await Promise.all([h().open(), h().open(), h().open()])));
    }
    const many = loadMigrations(
      tempMigrations({
        '0001_one.sql': 'CREATE TABLE one (v int); INSERT INTO one VALUES (1);',
        '0002_two.sql': 'CREATE TABLE two (v int);',
        '0003_three.sql': 'CREATE TABLE three (v int); INSERT INTO three VALUES (3);',
        '0004_four.sql': 'INSERT INTO three VALUES (4);',
      }),
    );
    const results = await Promise.all([db, ...others].map((d) => migrate(d, many, systemClock, silentLogger())));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(['0003_three.sql', '0004_four.sql']);
    expect((await db.query('SELECT v FROM three ORDER BY v')).rows).toEqual([{ v: 3 }, { v: 4 }]);
  });
});
