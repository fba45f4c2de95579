import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@phoenix/runtime';
import { waitFor } from './waitFor';

/**
 * The real Prometheus Pushgateway for tests (Debian package `prometheus-pushgateway`, binary
 * /usr/bin/prometheus-pushgateway), on a free 127.0.0.1 port with its own temp directory. Never skips:
 * a missing binary throws with the installation hint.
 */

const BINARY = 'prometheus-pushgateway';

/** The pushgateway binary: PATH, then /usr/bin and /usr/local/bin; throws an installation hint when missing. */
export function requirePushgatewayBinary(searchDirs?: string[]): string {
  const dirs = searchDirs ?? [...(process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== ''), '/usr/bin', '/usr/local/bin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, BINARY);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    `${BINARY} was not found on PATH or in /usr/bin, /usr/local/bin. The Phoenix tests run the real Pushgateway; ` +
      'install it with `apt-get install prometheus-pushgateway` (Debian/Ubuntu).',
  );
}

export interface PushgatewayHandle {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  port: number;
  dir: string;
  /** GET /metrics: every pushed group (plus the gateway's own metrics) in the text format */
  metrics(): Promise<string>;
  /** The exposition lines (no comments) whose labels include `job="<job>"` (and `instance` when given). */
  groupLines(job: string, instance?: string): Promise<string[]>;
  output(): string;
  /** SIGTERM (then SIGKILL) and removes the temp directory; idempotent. */
  stop(): Promise<void>;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** Starts a Pushgateway and waits until `/-/ready` answers. Always `stop()` it. */
export async function startPushgateway(opts: { readyTimeoutMs?: number } = {}): Promise<PushgatewayHandle> {
  const bin = requirePushgatewayBinary();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-pushgateway-'));
  let lastFailure = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(bin, [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${path.join(dir, 'pushgateway.data')}`, '--log.level=warn'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const keep = (b: Buffer): void => {
      out = (out + b.toString()).slice(-100_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let exited: number | string | null | undefined;
    const exitPromise = new Promise<void>((resolve) => {
      child.on('exit', (code, signal) => {
        exited = code ?? signal;
        resolve();
      });
      child.on('error', (err) => {
        out += `\nspawn error: ${err.message}`;
        exited = 'spawn-error';
        resolve();
      });
    });
    const kill = async (): Promise<void> => {
      if (exited === undefined) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exitPromise;
        clearTimeout(t);
      }
    };
    const onExit = (): void => {
      child.kill('SIGKILL');
    };
    process.on('exit', onExit);
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor(
        async () => {
          if (exited !== undefined) throw new Error(`${BINARY} exited (${String(exited)})`);
          return (await fetch(`${url}/-/ready`).catch(() => undefined))?.status === 200;
        },
        { timeoutMs: opts.readyTimeoutMs ?? 20_000, intervalMs: 50, what: `the Pushgateway at ${url} to be ready` },
      );
    } catch (err) {
      lastFailure = `${(err as Error).message}\n${out}`;
      await kill();
      process.removeListener('exit', onExit);
      if (/address already in use/i.test(out)) continue;
      break;
    }
    const metrics = async (): Promise<string> => {
      const res = await fetch(`${url}/metrics`);
      if (res.status !== 200) throw new Error(`Pushgateway /metrics: HTTP ${res.status}`);
      return res.text();
    };
    let stopping: Promise<void> | undefined;
    return {
      url,
      port,
      dir,
      metrics,
      async groupLines(job, instance) {
        const want = [`job="${escapeLabel(job)}"`, ...(instance !== undefined ? [`instance="${escapeLabel(instance)}"`] : [])];
        return (await metrics()).split('\n').filter((l) => l !== '' && !l.startsWith('#') && want.every((w) => l.includes(w)));
      },
      output: () => out,
      stop: () =>
        (stopping ??= (async () => {
          await kill();
          process.removeListener('exit', onExit);
          await fs.promises.rm(dir, { recursive: true, force: true });
        })()),
    };
  }
  await fs.promises.rm(dir, { recursive: true, force: true });
  throw new Error(`could not start the Pushgateway: ${lastFailure}`);
}
