import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findPostgresBinDir, requirePostgresBinDir, startPostgres, type PostgresHandle } from './postgres';

/** `psql -tA -c sql` against the cluster, as the postgres role; resolves with stdout or rejects. */
function psql(pg: PostgresHandle, sql: string, database = 'postgres'): Promise<string> {
  const bin = path.join(requirePostgresBinDir(), 'psql');
  return new Promise((resolve, reject) => {
    execFile(bin, ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-tAc', sql], (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

describe('startPostgres (a real PostgreSQL 15 cluster of its own)', () => {
  let pg: PostgresHandle;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.destroy();
  });

  it('runs PostgreSQL 15 on a loopback port, as the postgres user when root', async () => {
    expect(pg.url).toBe(`postgresql://postgres@127.0.0.1:${pg.port}/postgres`);
    expect(pg.running).toBe(true);
    expect(await psql(pg, 'SHOW server_version_num')).toMatch(/^15\d{4}$/);
    const owner = fs.statSync(path.join(pg.dir, 'data')).uid;
    if (process.getuid?.() === 0) expect(owner).not.toBe(0);
    expect(await psql(pg, "SELECT current_setting('listen_addresses')")).toBe('127.0.0.1');
  });

  it('creates databases of its own', async () => {
    const url = await pg.createDatabase('suite_a');
    expect(url).toBe(`postgresql://postgres@127.0.0.1:${pg.port}/suite_a`);
    expect(await psql(pg, 'SELECT current_database()', 'suite_a')).toBe('suite_a');
  });

  it('stop() refuses connections, start() brings the same cluster back with its data', async () => {
    await psql(pg, 'CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)');
    await pg.stop();
    expect(pg.running).toBe(false);
    await expect(psql(pg, 'SELECT 1')).rejects.toThrow(/connection|refused|server/i);
    await pg.stop(); // idempotent
    await pg.start();
    expect(pg.running).toBe(true);
    expect(await psql(pg, 'SELECT v FROM kept')).toBe('42');
    expect(pg.output()).toMatch(/database system is ready to accept connections/);
  });

  it('destroy() removes the temp directory; a destroyed cluster cannot start', async () => {
    const other = await startPostgres();
    const dir = other.dir;
    expect(fs.existsSync(dir)).toBe(true);
    await other.destroy();
    await other.destroy();
    expect(fs.existsSync(dir)).toBe(false);
    await expect(other.start()).rejects.toThrow('this PostgreSQL cluster was destroyed');
  });
});

describe('finding initdb (never a silent skip)', () => {
  it('finds the Debian binaries on this machine', () => {
    expect(findPostgresBinDir()).toBeDefined();
  });

  it('throws the installation hint when initdb is missing; with CI=true it says the CI machine lacks it', () => {
    expect(findPostgresBinDir(['/nonexistent'])).toBeUndefined();
    expect(() => requirePostgresBinDir(['/nonexistent'], false)).toThrow(
      'initdb/pg_ctl not found in /nonexistent; the phoenix-api tests run a real PostgreSQL: install it with `apt-get install postgresql` (Debian: the package provides initdb and pg_ctl)',
    );
    expect(() => requirePostgresBinDir(['/nonexistent'], true)).toThrow(
      'CI=true: initdb/pg_ctl not found in /nonexistent; the CI machine must have PostgreSQL 15: install it with `apt-get install postgresql` (Debian: the package provides initdb and pg_ctl)',
    );
  });
});
