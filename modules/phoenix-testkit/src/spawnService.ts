import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ChildSupervisor } from '@phoenix/runtime';

/** A Phoenix service started as a real child process (a runtime ChildSupervisor), its output kept for failure messages. */
export interface SpawnedService {
  supervisor: ChildSupervisor;
  /** the running child process; undefined once it has exited */
  readonly child: ChildProcess | undefined;
  output(): string;
  /** SIGTERM, then SIGKILL after the grace period; resolves with the exit code (or the signal's name). */
  stop(): Promise<number | string | null>;
}

/** Starts `node <script>` with extra env and, when given, waits until `healthUrl` answers 2xx. */
export async function spawnService(
  script: string,
  env: Record<string, string>,
  opts: { healthUrl?: string; timeoutMs?: number; args?: string[]; graceMs?: number } = {},
): Promise<SpawnedService> {
  const supervisor = new ChildSupervisor({
    name: path.basename(path.dirname(path.dirname(script))) || script,
    command: process.execPath,
    args: [script, ...(opts.args ?? [])],
    env,
    ready: opts.healthUrl ? { url: opts.healthUrl, timeoutMs: opts.timeoutMs ?? 20_000 } : undefined,
    stopGraceMs: opts.graceMs ?? 5000,
    tailLines: 5000,
  });
  try {
    await supervisor.start();
  } catch (err) {
    supervisor.kill();
    await supervisor.stop();
    throw err;
  }
  return {
    supervisor,
    get child() {
      return supervisor.child;
    },
    output: () => supervisor.output(),
    async stop() {
      await supervisor.stop();
      const e = await supervisor.exited();
      return e.code ?? e.signal;
    },
  };
}
