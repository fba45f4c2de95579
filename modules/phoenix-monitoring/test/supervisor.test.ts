/**
 * scripts/start.js (`npm start`) beyond the happy path of stack.test.ts: a supervisor that dies leaves no
 * orphan, and configuration errors stop it before anything starts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts, waitFor } from '@phoenix/testkit';
import { LISTENERS, ROOT, alive, startSupervisor, type Supervisor } from './helpers';

jest.setTimeout(60_000);

async function isolatedEnv(dataDir: string): Promise<Record<string, string>> {
  const free = await freePorts(LISTENERS.length);
  const env: Record<string, string> = {
    PHOENIX_ENV: 'ci',
    PHOENIX_DATA_DIR: dataDir,
    PHOENIX_BIND_ADDRESS: '127.0.0.1',
    PHOENIX_LOG_LEVEL: 'warn',
    PHOENIX_CONTROL_FILE: '',
    PHOENIX_START_ONLY: '',
    PHOENIX_API_TOKEN: '',
  };
  LISTENERS.forEach((l, i) => (env[l.env] = String(free[i])));
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
      if (s.exitCode() === undefined) {
        s.child.kill('SIGKILL');
        await s.exited;
      }
    }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('leaves no orphan when the supervisor itself is killed', async () => {
    expect(fs.existsSync(path.join(ROOT, 'modules/phoenix-core/dist/main.js'))).toBe(true);
    const env = { ...(await isolatedEnv(tmp())), PHOENIX_START_ONLY: 'phoenix-core' };
    const s = startSupervisor(env);
    supervisors.push(s);
    await s.waitForOutput(/\[phoenix\] ready: 1\/1 services healthy/, 30_000);
    const core = s.pidOf('phoenix-core')!;
    expect(alive(core)).toBe(true);
    s.child.kill('SIGKILL'); // no chance to stop its children
    await s.exited;
    // the core notices (IPC channel closed) and shuts down by itself
    await waitFor(() => !alive(core), { timeoutMs: 15_000, what: `phoenix-core (pid ${core}) to exit after its supervisor died` });
  });

  it('refuses an unknown environment with exit code 2 and names the known ones', async () => {
    const s = startSupervisor({ ...(await isolatedEnv(tmp())), PHOENIX_ENV: 'nowhere' });
    supervisors.push(s);
    expect(await s.exited).toBe(2);
    expect(s.output()).toMatch(/PHOENIX_ENV=nowhere: environments\/nowhere\.env does not exist \(known: ci, development, production\)/);
  });

  it('refuses the production placeholder token with exit code 2', async () => {
    const env: Record<string, string> = { ...(await isolatedEnv(tmp())), PHOENIX_ENV: 'production' };
    delete env.PHOENIX_API_TOKEN; // the file's placeholder is what is left
    const s = startSupervisor(env);
    supervisors.push(s);
    expect(await s.exited).toBe(2);
    expect(s.output()).toMatch(/PHOENIX_API_TOKEN is still the placeholder of environments\/production\.env/);
  });

  it('refuses an unknown service in PHOENIX_START_ONLY with exit code 2', async () => {
    const s = startSupervisor({ ...(await isolatedEnv(tmp())), PHOENIX_START_ONLY: 'phoenix-core,phoenix-nothing' });
    supervisors.push(s);
    expect(await s.exited).toBe(2);
    expect(s.output()).toMatch(/PHOENIX_START_ONLY: unknown service\(s\) phoenix-nothing/);
  });
});
