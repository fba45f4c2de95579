import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { validateTaskLoadSimulation, type TaskLoadSimulation, lazyYaml } from '@phoenix/contracts';
import { failed, succeeded, type TaskExecutor, type TaskOutcome } from '../types';

export interface LoadSimulationDeps {
  /** @phoenix/generators' generate CLI (dist/cli/generateCli.js) */
  cli: string;
  /** its load profiles (<name>.yaml) */
  profilesDir: string;
  /** the host's core OTLP/HTTP receiver */
  otlpHttpUrl: string;
  /** where a profile with overridden hosts/processes is written for the run */
  workDir: string;
  env: Record<string, string | undefined>;
  /** SIGTERM, then SIGKILL after this, when the task is aborted */
  stopGraceMs: number;
}

const TAIL_LINES = 20;

/** The profile to pass to the CLI: the named one, or a copy with the task's hosts / processes per host. */
function profileArg(c: TaskLoadSimulation, d: LoadSimulationDeps, taskId: string): { arg: string; error?: string; cleanup?: string } {
  const name = c.profile ?? 'steady';
  const file = path.join(d.profilesDir, `${name}.yaml`);
  if (!fs.existsSync(file)) {
    const known = fs.existsSync(d.profilesDir) ? fs.readdirSync(d.profilesDir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)) : [];
    return { arg: '', error: `load_simulation.profile: unknown profile ${JSON.stringify(name)} (known: ${known.sort().join(', ')})` };
  }
  if (c.hosts === undefined && c.processes_per_host === undefined) return { arg: file };
  const profile = lazyYaml().parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (c.hosts !== undefined) profile.hosts = c.hosts;
  if (c.processes_per_host !== undefined) profile.processes_per_host = c.processes_per_host;
  // the CLI wants a profile file named after the profile: one directory per task
  const taskDir = path.join(d.workDir, `load-${taskId.replace(/[^A-Za-z0-9_-]/g, '_')}`);
  fs.mkdirSync(taskDir, { recursive: true });
  const derived = path.join(taskDir, `${name}.yaml`);
  fs.writeFileSync(derived, lazyYaml().stringify(profile));
  return { arg: derived, cleanup: taskDir };
}

/**
 * load_simulation: runs a phoenix-generators load profile against the host's own core (the generate CLI of
 * @phoenix/generators, over OTLP/HTTP protobuf) for `duration_seconds`, then reports what was sent (the
 * CLI's summary: exports, series per export).
 */
export function loadSimulationExecutor(d: LoadSimulationDeps): TaskExecutor<TaskLoadSimulation> {
  return {
    type: 'load_simulation',
    validate: validateTaskLoadSimulation,
    unsupported: () => (fs.existsSync(d.cli) ? undefined : `capability load_simulation not supported: phoenix-generators is not installed on this host (${d.cli} is missing)`),
    async run(c, ctx): Promise<TaskOutcome> {
      if (c.host_prefix !== undefined) {
        return failed("load_simulation.host_prefix: not supported by this host's phoenix-generators (its generate CLI has no host prefix option)", false);
      }
      const profile = profileArg(c, d, ctx.task.id);
      if (profile.error) return failed(profile.error, false);
      const args = [d.cli, '--profile', profile.arg, '--duration', String(c.duration_seconds), '--endpoint', d.otlpHttpUrl, '--protocol', 'http/protobuf'];
      if (c.seed !== undefined) args.push('--seed', String(c.seed));
      try {
        return await runCli(args, c, d, ctx.signal);
      } finally {
        if (profile.cleanup) fs.rmSync(profile.cleanup, { recursive: true, force: true });
      }
    },
  };
}

function runCli(args: string[], c: TaskLoadSimulation, d: LoadSimulationDeps, signal: AbortSignal): Promise<TaskOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: d.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const tail: string[] = [];
    child.stdout.on('data', (b: Buffer) => {
      if (stdout.length < 1_000_000) stdout += b.toString();
    });
    let partial = '';
    child.stderr.on('data', (b: Buffer) => {
      const lines = (partial + b.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) if (l.trim() !== '') tail.push(l.trim());
      tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
    });
    let force: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      child.kill('SIGTERM');
      force = setTimeout(() => child.kill('SIGKILL'), d.stopGraceMs);
      force.unref();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const finish = (code: number | null, sig: string | null, spawnError?: Error): void => {
      signal.removeEventListener('abort', onAbort);
      if (force) clearTimeout(force);
      const base = { profile: c.profile ?? 'steady', duration_seconds: c.duration_seconds, endpoint: d.otlpHttpUrl, protocol: 'http/protobuf' };
      if (spawnError) return resolve(failed(`could not start the generate CLI: ${spawnError.message}`, true, base));
      let summary: Record<string, unknown> | undefined;
      try {
        summary = JSON.parse(stdout) as Record<string, unknown>;
      } catch {
        summary = undefined;
      }
      const result = { ...base, ...(summary ? { summary } : {}), exit_code: code, ...(sig ? { signal: sig } : {}), output_tail: tail };
      if (signal.aborted) return resolve(failed('load simulation stopped before its end', true, result));
      if (code === 0 && summary) return resolve(succeeded(result));
      // 2: the CLI refused its arguments or the profile (the same task would fail again)
      resolve(failed(`the generate CLI exited with ${code ?? sig}: ${tail.slice(-3).join(' | ')}`, code !== 2, result));
    };
    child.once('error', (err) => finish(null, null, err));
    child.once('close', (code, sig) => finish(code, sig));
  });
}
