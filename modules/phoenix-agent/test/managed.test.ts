/**
 * Managed mode: the agent starts and supervises the host's real phoenix-core and a phoenix-control for it;
 * a killed core is restarted with backoff (and /health says so), restart_core restarts it, set_control goes
 * through the managed phoenix-control, and stopping the agent stops both.
 */
import fs from 'node:fs';
import { memoryLogger, systemClock, freePorts, processAlive } from '@phoenix/runtime';
import { waitFor, corePortsEnv } from '@phoenix/testkit';
import { LogShipper } from '../src/logs/logShipper';
import { AgentService } from '../src/service';
import { agentConfig, CONTROL_MAIN, CORE_MAIN, coreUrls, observatory, requireBuilt, tempDir, value, type CoreUrls } from './harness';
import { startTestApi, type TestApi } from './testApi';

const HOST = 'managed-host';

describe('phoenix-agent managing phoenix-core and phoenix-control', () => {
  let api: TestApi;
  let dir: string;
  let agent: AgentService;
  let urls: CoreUrls;
  let log: ReturnType<typeof memoryLogger>;

  beforeAll(async () => {
    requireBuilt(CORE_MAIN, CONTROL_MAIN);
    dir = tempDir('managed');
    api = await startTestApi({ heartbeatIntervalSeconds: 0.5, pollTimeoutSeconds: 5 });
    const coreEnv = await corePortsEnv();
    urls = coreUrls(coreEnv);
    const [agentPort, controlPort, observerPort] = await freePorts(3);
    const env = {
      ...coreEnv,
      PHOENIX_API_URL: api.url,
      PHOENIX_AGENT_KEY: api.key,
      PHOENIX_HOST_ID: HOST,
      PHOENIX_DATA_DIR: dir,
      PHOENIX_AGENT_PORT: String(agentPort),
      PHOENIX_AGENT_MANAGE_CORE: 'true',
      PHOENIX_CONTROL_API_PORT: String(controlPort),
      PHOENIX_OBSERVER_PORT: String(observerPort),
      PHOENIX_CONTROL_INTERVAL_SECONDS: '0.5',
      PHOENIX_OBSERVER_INTERVAL_SECONDS: '0.5',
      PHOENIX_AGENT_HEALTH_INTERVAL_SECONDS: '0.2',
      PHOENIX_AGENT_METRICS_INTERVAL_SECONDS: '0.5',
    };
    log = memoryLogger();
    const quiet = new LogShipper({ clock: systemClock, shipLevel: 'info', ringSize: 100, flushMs: 1000, out: () => undefined });
    agent = new AgentService(agentConfig(env), { log, shipper: quiet, env: { ...process.env, ...env, PHOENIX_LOG_LEVEL: 'warn' } });
    await agent.start();
    await waitFor(() => agent.core.snapshot().healthy === true, { what: 'the managed core to be healthy', timeoutMs: 30_000 });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${controlPort}/health`).catch(() => undefined))?.status === 200, { what: 'the managed phoenix-control', timeoutMs: 30_000 });
  });
  afterAll(async () => {
    await agent?.stop();
    await api?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('advertises the managed core and control; reports the core process in the heartbeat', async () => {
    expect(agent.capabilities()).toEqual(['set_control', 'collect_diagnostics', 'load_simulation', 'restart_core', 'managed_core', 'managed_control']);
    const hb = await waitFor(async () => (await api.heartbeats(HOST)).find((h) => (h.resource_usage.core?.rss_bytes ?? 0) > 0));
    expect(hb.resource_usage.core).toMatchObject({ status: 'running', restarts: 0, pid: agent.core.snapshot().core?.pid });
  });

  test('set_control goes through the managed phoenix-control (an override), and the core ends up in that mode', async () => {
    const id = await api.enqueue(HOST, 'set_control', { mode: 'aggressive', topk_k: 5, ttl_seconds: 600, source: 'operator', reason: 'managed test' });
    const t = await waitFor(async () => {
      const x = await api.task(id);
      return ['succeeded', 'failed'].includes(x?.status ?? '') && x;
    });
    expect([t.status, t.error ?? null]).toEqual(['succeeded', null]);
    expect(t.result).toMatchObject({ via: 'phoenix-control', override: { mode: 'aggressive', k: 5, ttl_seconds: 600 } });
    await waitFor(async () => {
      const s = await observatory(urls);
      return value(s, 'phoenix_control_mode_info', { mode: 'aggressive' }) === 1 && value(s, 'phoenix_control_topk_k') === 5;
    }, { what: 'the core to show the mode', timeoutMs: 20_000 });
  });

  test('a killed core is restarted with backoff and /health says what happened', async () => {
    const pid = agent.core.snapshot().core!.pid!;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => agent.core.snapshot().core?.restarts === 1 && agent.core.snapshot().core?.state === 'running', { what: 'the restart' });
    expect(log.records.find((r) => r.msg === 'child exited; restarting' && r.child === 'phoenix-core')).toMatchObject({ exit: 'signal SIGKILL', restart_in_ms: 500 });
    await waitFor(() => agent.core.snapshot().healthy === true, { what: 'health again', timeoutMs: 30_000 });
    const h = agent.health().body as { status: string; core: { process: { restarts: number; pid: number; last_exit: { signal: string } } } };
    expect(h.status).toBe('ok');
    expect(h.core.process).toMatchObject({ restarts: 1, last_exit: { signal: 'SIGKILL' } });
    expect(h.core.process.pid).not.toBe(pid);
    expect(processAlive(pid)).toBe(false);
  });

  test('restart_core restarts the core and waits for its health', async () => {
    const before = agent.core.snapshot().core!.pid!;
    const id = await api.enqueue(HOST, 'restart_core', { reason: 'test' });
    const t = await waitFor(async () => {
      const x = await api.task(id);
      return ['succeeded', 'failed'].includes(x?.status ?? '') && x;
    }, { timeoutMs: 60_000 });
    expect(t.status).toBe('succeeded');
    expect(t.result).toEqual({ pid_before: before, pid_after: agent.core.snapshot().core!.pid, restarts: 2, healthy: true });
    expect((t.result as { pid_after: number }).pid_after).not.toBe(before);
    expect(processAlive(before)).toBe(false);
  });

  test('stopping the agent stops its children', async () => {
    const snap = agent.core.snapshot();
    const pids = [snap.core!.pid!, snap.control!.pid!];
    await agent.stop();
    expect(pids.map(processAlive)).toEqual([false, false]);
    expect(agent.core.snapshot().core?.state).toBe('stopped');
  });
});
