import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryLogger, sleep, systemClock, freePorts } from '@phoenix/runtime';
import { waitFor } from '@phoenix/testkit';
import { FakeApi } from '../test/fakeApi';
import { loadConfig, type AgentConfig } from './config';
import { AgentService } from './service';

async function config(dir: string, env: Record<string, string> = {}): Promise<AgentConfig> {
  const [port, dead] = await freePorts(2);
  const { config: c, errors } = loadConfig({
    PHOENIX_AGENT_KEY: 'phx_000000000000_enrollment-key-for-tests',
    PHOENIX_API_URL: `http://127.0.0.1:${dead}`,
    PHOENIX_DATA_DIR: dir,
    PHOENIX_AGENT_PORT: String(port),
    PHOENIX_CONTROL_URL: '',
    PHOENIX_CORE_URL: `http://127.0.0.1:${dead}`,
    PHOENIX_CORE_HEALTH_URL: `http://127.0.0.1:${dead}/health`,
    PHOENIX_HOST_ID: 'life-host',
    ...env,
  });
  if (errors.length) throw new Error(errors.join('; '));
  return c;
}

describe('AgentService lifecycle', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-agent-life-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('start then stop: listening while started, lock and port released after', async () => {
    const a = new AgentService(await config(dir), { log: memoryLogger() });
    await a.start();
    const port = a.port;
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect(fs.existsSync(path.join(dir, 'agent', 'agent.lock'))).toBe(true);
    await a.stop();
    expect(fs.existsSync(path.join(dir, 'agent', 'agent.lock'))).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  test('stop without start, stop twice, start twice, start after stop', async () => {
    const never = new AgentService(await config(dir), { log: memoryLogger() });
    await never.stop();
    await never.stop();
    expect(fs.existsSync(path.join(dir, 'agent'))).toBe(false);
    const a = new AgentService(await config(dir), { log: memoryLogger() });
    await Promise.all([a.start(), a.start()]);
    await Promise.all([a.stop(), a.stop()]);
    await expect(a.start()).rejects.toThrow('phoenix-agent is stopped; it cannot be started again');
  });
  // the lock between two agent processes on one data directory: state/state.test.ts
});

describe('a key phoenix-api refuses', () => {
  test('logged as an error naming PHOENIX_AGENT_KEY, shown by /health, retried slowly (no crash, no loop)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-agent-auth-'));
    const api = new FakeApi({ keys: { 'phx_111111111111_the-only-valid-key': '*' } });
    await api.start();
    const log = memoryLogger();
    const a = new AgentService(await config(dir, { PHOENIX_API_URL: api.url, PHOENIX_AGENT_AUTH_RETRY_SECONDS: '60' }), { log });
    try {
      await a.start();
      await waitFor(() => log.records.some((r) => r.component === 'heartbeat' && r.level === 'error'));
      expect(log.records.find((r) => r.component === 'heartbeat' && r.level === 'error')).toMatchObject({
        msg: 'phoenix-api refuses this agent key (401: unknown, wrong or revoked): check PHOENIX_AGENT_KEY',
        status: 401,
        retry_in_seconds: 60,
      });
      expect(a.health().body).toMatchObject({ status: 'degraded', api: { auth_failure: { status: 401, message: 'unknown, wrong or revoked agent key' } } });
      await sleep(systemClock, 1000);
      // one attempt per loop, then the slow retry (54-66 s away)
      const out = a.registry.render();
      expect(out).toContain('phoenix_agent_api_requests_total{operation="heartbeat",outcome="auth"} 1');
      expect(out).toContain('phoenix_agent_api_requests_total{operation="poll",outcome="auth"} 1');
    } finally {
      await a.stop();
      await api.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
