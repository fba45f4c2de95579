/**
 * scripts/start.js (`npm start`) beyond the happy path of stack.test.ts: a supervisor that dies leaves no
 * orphan, and configuration errors stop it before anything starts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '@phoenix/testkit';
import { freePorts, processAlive } from '@phoenix/runtime';
import { LISTENERS, ROOT, startSupervisor, type Supervisor } from './helpers';

jest.setTimeout(60_000);

async function isolatedEnv(dataDir: string): Promise<Record<string, string>> {
  const listeners = LISTENERS;
  const free = await freePorts(listeners.length);
  const env: Record<string, string> = {
    PHOENIX_ENV: 'ci',
    PHOENIX_DATA_DIR: dataDir,
    PHOENIX_BIND_ADDRESS: '127.0.0.1',
    PHOENIX_LOG_LEVEL: 'warn',
    PHOENIX_CONTROL_FILE: '',
    PHOENIX_START_ONLY: '',
    PHOENIX_API_TOKEN: '',
  };
  listeners.forEach((l, i) => (env[l.env] = String(free[i])));
  return env;
}

describe('npm start supervisor', () => {
  const dirs: string[] = [];
  const supervisors: Supervisor[] = [];
  const tmp = (): string => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-supervisor-'));
    dirs.push(d);
    return d;
  };

  afterAll(async () => {
    for (const s of supervisors) {
      s.process.kill();
      await s.process.stop();
    }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  // Every service's main is the runtime's runService, which stops the service when its supervisor's IPC channel
  // closes (each child also runs in a process group of its own, so nothing else would stop it).
  it('leaves no orphan when the supervisor itself is killed', async () => {
    const names = ['phoenix-core', 'phoenix-control', 'phoenix-api', 'phoenix-agent', 'phoenix-generators', 'phoenix-validation'];
    for (const n of names) expect(fs.existsSync(path.join(ROOT, `modules/${n}/dist/main.js`))).toBe(true);
    const env = { ...(await isolatedEnv(tmp())), PHOENIX_START_ONLY: names.join(','), PHOENIX_GENERATORS_SCENARIO: '' };
    const s = startSupervisor(env);
    supervisors.push(s);
    await s.waitForOutput(/\[phoenix\] ready: 6\/6 services healthy/, 60_000);
    const pids = names.map((n) => s.pidOf(n)!);
    expect(pids.map(processAlive)).toEqual(names.map(() => true));
    s.kill('SIGKILL'); // no chance to stop its children
    await s.exited;
    // each service notices (IPC channel closed) and shuts down by itself
    await waitFor(() => pids.every((p) => !processAlive(p)), { timeoutMs: 15_000, what: `${names.join(', ')} (pids ${pids.join(', ')}) to exit after their supervisor died` });
  });

  it('refuses an unknown environment with exit code 2 and names the known ones', async () => {
    const s = startSupervisor({ ...(await isolatedEnv(tmp())), PHOENIX_ENV: 'nowhere' });
    supervisors.push(s);
    expect(await s.exited).toBe(2);
    expect(s.output()).toMatch(/PHOENIX_ENV=nowhere: environments\/nowhere\.env does not exist \(known: ci, development, production\)/);
  });

  it('refuses the production placeholders (operator token, agent key) with exit code 2', async () => {
    const env: Record<string, string> = { ...(await isolatedEnv(tmp())), PHOENIX_ENV: 'production' };
    delete env.PHOENIX_API_TOKEN; // the file's placeholder is what is left
    const s = startSupervisor(env);
    supervisors.push(s);
    expect(await s.exited).toBe(2);
    expect(s.output()).toMatch(/PHOENIX_API_TOKEN is still the placeholder of environments\/production\.env/);
    // a real token, but the agents' enrollment key is still the placeholder
    const keyed = startSupervisor({ ...env, PHOENIX_API_TOKEN: 'a-real-operator-token-0123456789' });
    supervisors.push(keyed);
    expect(await keyed.exited).toBe(2);
    expect(keyed.output()).toMatch(/PHOENIX_AGENT_KEY is still the placeholder of environments\/production\.env/);
  });

  it('refuses an unknown service in PHOENIX_START_ONLY with exit code 2', async () => {
    const s = startSupervisor({ ...(await isolatedEnv(tmp())), PHOENIX_START_ONLY: 'phoenix-core,phoenix-nothing' });
    supervisors.push(s);
    expect(await s.exited).toBe(2);
    expect(s.output()).toMatch(/PHOENIX_START_ONLY: unknown service\(s\) phoenix-nothing/);
  });
});
