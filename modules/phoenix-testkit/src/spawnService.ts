import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from './waitFor';

/** A Phoenix service started as a real child process, with its output kept for failure messages. */
export interface SpawnedService {
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (or signal name). */
  stop(graceMs?: number): Promise<number | string | null>;
}

/** Starts `node <script>` with extra env and waits until `healthUrl` answers 200. */
export async function spawnService(
  script: string,
  env: Record<string, string>,
  opts: { healthUrl?: string; timeoutMs?: number; args?: string[] } = {},
): Promise<SpawnedService> {
  const child = spawn(process.execPath, [script, ...(opts.args ?? [])], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer): void => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | string | null | undefined;
  const exitPromise = new Promise<number | string | null>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = code ?? signal;
      resolve(exited);
    });
  });
  const svc: SpawnedService = {
    child,
    output: () => out,
    async stop(graceMs = 5000) {
      if (exited !== undefined) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exitPromise;
      clearTimeout(timer);
      return code;
    },
  };
  if (opts.healthUrl) {
    const url = opts.healthUrl;
    try {
      await waitFor(
        async () => {
          if (exited !== undefined) throw new Error(`service exited (${String(exited)}) before becoming healthy:\n${out}`);
          const res = await fetch(url).catch(() => undefined);
          return res?.status === 200;
        },
        { timeoutMs: opts.timeoutMs ?? 20_000, what: `${url} to report healthy` },
      );
    } catch (err) {
      await svc.stop(1000);
      throw new Error(`${(err as Error).message}\n--- service output ---\n${out}`);
    }
  }
  return svc;
}
