/** phoenix-agent as a process (dist/main.js with its launch flags): exit codes, clean shutdown, no orphan when its supervisor goes. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { waitFor } from '@phoenix/testkit';
import { freePorts } from '@phoenix/runtime';
import { AGENT_NODE_FLAGS } from '../src/nodeFlags';
import { FAKE_ENROLLMENT_KEY } from './fakeApi';
import { AGENT_MAIN, requireBuilt, spawnAgent, tempDir } from './harness';

describe('phoenix-agent main', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    requireBuilt(AGENT_MAIN);
    dir = tempDir('main');
    const [port, api, core] = await freePorts(3);
    env = {
      PHOENIX_AGENT_KEY: FAKE_ENROLLMENT_KEY,
      PHOENIX_API_URL: `http://127.0.0.1:${api}`,
      PHOENIX_DATA_DIR: dir,
      PHOENIX_AGENT_PORT: String(port),
      PHOENIX_CONTROL_URL: '',
      PHOENIX_CORE_URL: `http://127.0.0.1:${core}`,
      PHOENIX_HOST_ID: 'main-host',
    };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('an invalid configuration exits 2 with every problem, naming key and variable', async () => {
    const a = spawnAgent({ ...env, PHOENIX_AGENT_KEY: '', PHOENIX_AGENT_PORT: 'x' });
    expect(await a.exited).toEqual({ code: 2, signal: null });
    const line = JSON.parse(a.output().split('\n').find((l) => l.includes('invalid configuration')) ?? '{}') as { errors: string[] };
    expect(line.errors).toEqual([
      'http.port (PHOENIX_AGENT_PORT): must be an integer (got "x")',
      'api.key (PHOENIX_AGENT_KEY): is required (the API key phoenix-api issued for this host, or its enrollment key)',
    ]);
    expect(a.output()).not.toContain('Warning');
  });

  test('starts without phoenix-api (it keeps retrying), serves /health, and exits 0 on SIGTERM', async () => {
    const a = spawnAgent(env);
    const health = await waitFor(async () => {
      const r = await fetch(`http://127.0.0.1:${env.PHOENIX_AGENT_PORT}/health`).catch(() => undefined);
      return r?.status === 200 && ((await r.json()) as { status: string; api: { reachable: boolean } });
    }, { timeoutMs: 20_000 });
    expect(health).toMatchObject({ status: 'degraded', api: { reachable: false } });
    expect(a.output()).toContain('"msg":"phoenix-agent started"');
    expect(a.output()).toContain('"node_flags":["--lite-mode","--no-expose-wasm"]');
    a.kill('SIGTERM');
    expect(await a.exited).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(`${dir}/agent/agent.lock`)).toBe(false);
  });

  test('started by a supervisor with an IPC channel, it stops when the channel closes', async () => {
    const child = spawn(process.execPath, [...AGENT_NODE_FLAGS, AGENT_MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let out = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await waitFor(() => out.includes('phoenix-agent started'), { timeoutMs: 20_000 });
    child.disconnect();
    expect(await exited).toBe(0);
    expect(out).toContain('"signal":"supervisor gone"');
  });
});
