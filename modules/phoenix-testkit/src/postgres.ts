import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@phoenix/runtime';

/**
 * A throwaway PostgreSQL cluster for tests: Debian's `initdb` + `pg_ctl` into a temp directory, on a free
 * loopback port, started by the test and removed after it. Nothing skips: without `initdb` it throws (with
 * CI=true the message says the CI machine lacks the package). As root (CI), the binaries run as the
 * `postgres` user (PostgreSQL refuses to run as root) and the temp directory is handed to that user.
 */
export interface PostgresHandle {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly port: number;
  /** the temp directory (cluster in `data/`, log in `postgres.log`, socket beside) */
  readonly dir: string;
  /** URL of another database of the cluster (see {@link createDatabase}) */
  urlOf(database: string): string;
  /** `createdb <name>`: a fresh database for one suite; resolves with its URL */
  createDatabase(name: string): Promise<string>;
  /** stops the server (fast shutdown: open connections are closed), keeping the data */
  stop(): Promise<void>;
  /** starts the same cluster again on the same port */
  start(): Promise<void>;
  /** true between start and stop */
  readonly running: boolean;
  /** the server log so far (for failure messages) */
  output(): string;
  /** stops the server and removes the temp directory; idempotent */
  destroy(): Promise<void>;
}

export interface StartPostgresOptions {
  /** where initdb and pg_ctl are (default: PHOENIX_PG_BINDIR, /usr/lib/postgresql/15/bin, `pg_config --bindir`) */
  binDir?: string;
  /** extra `-c name=value` server settings */
  settings?: Record<string, string | number>;
}

const DEFAULT_BINDIR = '/usr/lib/postgresql/15/bin';

/** Where initdb and pg_ctl are looked for: PHOENIX_PG_BINDIR, Debian's PostgreSQL 15, then `pg_config --bindir`. */
export function postgresBinDirCandidates(): string[] {
  const dirs = [process.env.PHOENIX_PG_BINDIR ?? '', DEFAULT_BINDIR];
  try {
    dirs.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // no pg_config on PATH
  }
  return dirs.filter((d) => d !== '');
}

/** The first of `searchDirs` holding initdb and pg_ctl, or undefined. */
export function findPostgresBinDir(searchDirs: string[] = postgresBinDirCandidates()): string | undefined {
  return searchDirs.find((dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')));
}

/** Like findPostgresBinDir, but throws the installation hint (never a silent skip). */
export function requirePostgresBinDir(searchDirs: string[] = postgresBinDirCandidates(), ci = process.env.CI === 'true'): string {
  const dir = findPostgresBinDir(searchDirs);
  if (dir) return dir;
  const where = searchDirs.join(', ') || '(no directory)';
  const hint = 'install it with `apt-get install postgresql` (Debian: the package provides initdb and pg_ctl)';
  if (ci) throw new Error(`CI=true: initdb/pg_ctl not found in ${where}; the CI machine must have PostgreSQL 15: ${hint}`);
  throw new Error(`initdb/pg_ctl not found in ${where}; the phoenix-api tests run a real PostgreSQL: ${hint}`);
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** As root, the uid/gid of the `postgres` user (PostgreSQL refuses to run as root). */
function runAsIdentity(): RunAs {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, but there is no `postgres` user to run PostgreSQL as (apt-get install postgresql creates it)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function chownTree(dir: string, who: RunAs): void {
  if (who.uid === undefined || who.gid === undefined) return;
  fs.chownSync(dir, who.uid, who.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(p, who);
    else fs.chownSync(p, who.uid, who.gid);
  }
}

/** Runs a PostgreSQL binary to completion; rejects with its output on a non-zero exit. */
function run(bin: string, args: string[], who: RunAs, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...who, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(bin)} ${args.join(' ')} exited ${String(code)}:\n${out}`));
    });
  });
}

/** Creates, starts and returns a PostgreSQL cluster of its own (see {@link PostgresHandle}). */
export async function startPostgres(opts: StartPostgresOptions = {}): Promise<PostgresHandle> {
  const binDir = requirePostgresBinDir(opts.binDir ? [opts.binDir] : undefined);
  const who = runAsIdentity();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  fs.writeFileSync(logFile, '');
  chownTree(dir, who);
  const bin = (name: string): string => path.join(binDir, name);
  let running = false;
  let destroyed = false;
  let port = 0;
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    fsync: 'off',
    full_page_writes: 'off',
    max_connections: 200,
    ...opts.settings,
  };
  const serverOptions = (): string =>
    [`-p ${port}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${String(v)}`)].join(' ');
  const pgCtl = (args: string[]): Promise<string> => run(bin('pg_ctl'), ['-D', dataDir, ...args], who);

  const handle: PostgresHandle = {
    get url() {
      return `postgresql://postgres@127.0.0.1:${port}/postgres`;
    },
    get port() {
      return port;
    },
    dir,
    get running() {
      return running;
    },
    urlOf: (database) => `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    async createDatabase(name) {
      await run(bin('createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name], who);
      return handle.urlOf(name);
    },
    async start() {
      if (destroyed) throw new Error('this PostgreSQL cluster was destroyed');
      if (running) return;
      await pgCtl(['-l', logFile, '-o', serverOptions(), '-w', '-t', '60', 'start']);
      running = true;
    },
    async stop() {
      if (!running) return;
      await pgCtl(['-m', 'fast', '-w', '-t', '60', 'stop']);
      running = false;
    },
    output: () => {
      try {
        return fs.readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
    async destroy() {
      if (destroyed) return;
      try {
        if (running) await pgCtl(['-m', 'immediate', '-w', '-t', '30', 'stop']);
      } finally {
        running = false;
        destroyed = true;
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };

  try {
    await run(bin('initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'], who);
    // a free port can be taken between the probe and the bind: try a few
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await handle.start();
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  } catch (err) {
    const log = handle.output();
    await handle.destroy().catch(() => undefined);
    throw new Error(`could not start PostgreSQL from ${binDir}: ${(err as Error).message}${log ? `\n--- server log ---\n${log}` : ''}`);
  }
  return handle;
}
