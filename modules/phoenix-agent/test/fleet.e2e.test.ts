/**
 * The fleet end to end, every part real: phoenix-api (PGlite), three phoenix-agents in managed mode (each with
 * its own phoenix-core and phoenix-control on free ports), and a phoenix-generators service per host. A
 * cardinality spike on one host makes the fleet controller move the budget to it: the fleet's active series end
 * inside the fleet budget, the spiking host is reduced, the quiet hosts stay at full fidelity.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ApiFleet, ApiAgentList, AgentTaskList } from '@phoenix/contracts';
import { validateApiFleet } from '@phoenix/contracts';
import { spawnService, waitFor, type SpawnedService, corePortsEnv } from '@phoenix/testkit';
import { freePorts } from '@phoenix/runtime';
import { AGENT_MAIN, CONTROL_MAIN, CORE_MAIN, ROOT, requireBuilt, tempDir } from './harness';

const API_MAIN = path.join(ROOT, 'modules/phoenix-api/dist/main.js');
const GENERATORS_MAIN = path.join(ROOT, 'modules/phoenix-generators/dist/main.js');
const KEY = 'fleet-e2e-enrollment-key-0123456789';
const BUDGET = 1200;
const QUIET_PROCESSES = 20; // 20 processes x 7 series = 140 series per quiet host
const SPIKE_PROCESSES = 300; // 2,100 series: the fleet (2,380) is over the budget

interface Host {
  id: string;
  agent: SpawnedService;
  generators: SpawnedService;
  generatorsUrl: string;
  activeUrl: string;
  controlUrl: string;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function seriesOf(url: string): Promise<number> {
  const text = await (await fetch(url)).text();
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
}

async function setLoad(h: Host, processes: number): Promise<void> {
  await json(`${h.generatorsUrl}/api/v1/load`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hosts: 1, processes_per_host: processes, churn_rate: 0, export_interval_seconds: 1, seed: 7 }),
  });
}

describe('the fleet: phoenix-api, three agents with real cores, generators', () => {
  let dir: string;
  let api: SpawnedService;
  let apiUrl: string;
  const hosts: Host[] = [];

  beforeAll(async () => {
    requireBuilt(API_MAIN, AGENT_MAIN, CORE_MAIN, CONTROL_MAIN, GENERATORS_MAIN);
    dir = tempDir('fleet');
    const [apiPort] = await freePorts(1);
    apiUrl = `http://127.0.0.1:${apiPort}`;
    api = await spawnService(
      API_MAIN,
      {
        PHOENIX_API_PORT: String(apiPort),
        PHOENIX_DATA_DIR: path.join(dir, 'api'),
        PHOENIX_AGENT_KEY: KEY,
        PHOENIX_FLEET_TARGET_SERIES: String(BUDGET),
        PHOENIX_FLEET_INTERVAL_SECONDS: '2',
        PHOENIX_HEARTBEAT_INTERVAL_SECONDS: '1',
        PHOENIX_METRICS_INTERVAL_SECONDS: '1',
        PHOENIX_FLEET_KPI_MAX_AGE_SECONDS: '15',
        PHOENIX_LOG_LEVEL: 'warn',
      },
      { healthUrl: `${apiUrl}/health`, timeoutMs: 60_000 },
    );
    for (const id of ['e2e-quiet-a', 'e2e-quiet-b', 'e2e-spiky']) {
      const core = await corePortsEnv();
      const [agentPort, controlPort, observerPort, generatorsPort] = await freePorts(4);
      const agent = await spawnService(
        AGENT_MAIN,
        {
          ...core,
          PHOENIX_API_URL: apiUrl,
          PHOENIX_AGENT_KEY: KEY,
          PHOENIX_HOST_ID: id,
          PHOENIX_DATA_DIR: path.join(dir, id),
          PHOENIX_AGENT_PORT: String(agentPort),
          PHOENIX_AGENT_MANAGE_CORE: 'true',
          PHOENIX_CONTROL_API_PORT: String(controlPort),
          PHOENIX_OBSERVER_PORT: String(observerPort),
          PHOENIX_AGENT_METRICS_INTERVAL_SECONDS: '1',
          PHOENIX_TARGET_SERIES: '100000',
          PHOENIX_CONTROL_INTERVAL_SECONDS: '1',
          PHOENIX_OBSERVER_INTERVAL_SECONDS: '1',
          PHOENIX_CONTROL_DWELL_SECONDS: '2',
          PHOENIX_TOPK_RANK_INTERVAL_SECONDS: '1',
          PHOENIX_TOPK_WINDOW_SECONDS: '10',
          PHOENIX_LOG_LEVEL: 'warn',
        },
        { healthUrl: `http://127.0.0.1:${agentPort}/health`, timeoutMs: 60_000 },
      );
      const generators = await spawnService(
        GENERATORS_MAIN,
        {
          PHOENIX_GENERATORS_PORT: String(generatorsPort),
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${core.PHOENIX_OTLP_GRPC_PORT}`,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
          PHOENIX_GENERATORS_HOST_PREFIX: id,
          PHOENIX_LOG_LEVEL: 'warn',
        },
        { healthUrl: `http://127.0.0.1:${generatorsPort}/health`, timeoutMs: 60_000 },
      );
      const h: Host = {
        id,
        agent,
        generators,
        generatorsUrl: `http://127.0.0.1:${generatorsPort}`,
        activeUrl: `http://127.0.0.1:${core.PHOENIX_ACTIVE_PORT}/metrics`,
        controlUrl: `http://127.0.0.1:${controlPort}`,
      };
      hosts.push(h);
      await waitFor(async () => (await fetch(`${h.controlUrl}/health`).catch(() => undefined))?.status === 200, { what: `${id}: its phoenix-control`, timeoutMs: 60_000 });
      await setLoad(h, QUIET_PROCESSES);
    }
  }, 240_000);

  afterAll(async () => {
    for (const h of hosts) {
      await h.generators.stop();
      await h.agent.stop();
    }
    await api?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  const fleet = (): Promise<ApiFleet> => json<ApiFleet>(`${apiUrl}/api/v1/fleet`);
  const modeOf = async (h: Host): Promise<string> => (await json<{ mode: string }>(`${h.controlUrl}/api/v1/status`)).mode;

  test('quiet: every host registered and healthy, at full fidelity, the fleet under its budget', async () => {
    const agents = await waitFor(async () => {
      const a = await json<ApiAgentList>(`${apiUrl}/api/v1/agents`);
      return a.counts.healthy === 3 && a;
    }, { what: 'three healthy agents', timeoutMs: 60_000 });
    expect(agents.agents.map((a) => a.host_id).sort()).toEqual(['e2e-quiet-a', 'e2e-quiet-b', 'e2e-spiky']);
    const f = await waitFor(async () => {
      const v = await fleet();
      return v.hosts.length === 3 && v.hosts.every((h) => h.series?.full_fidelity === QUIET_PROCESSES * 7) && v;
    }, { what: 'the KPIs of the three hosts at the API', timeoutMs: 60_000 });
    expect(validateApiFleet(f).ok).toBe(true);
    expect(f.budget.target_series).toBe(BUDGET);
    expect(f.series.full_fidelity).toBe(3 * QUIET_PROCESSES * 7);
    for (const h of hosts) expect(await modeOf(h)).toBe('conservative');
  }, 120_000);

  test('a spike on one host: the fleet controller moves the budget to it; the fleet ends inside the budget, the quiet hosts at full fidelity', async () => {
    const spiky = hosts[2];
    await setLoad(spiky, SPIKE_PROCESSES);
    // the spike reaches the API, then the allocation reduces the spiking host only
    const f = await waitFor(async () => {
      const v = await fleet();
      const s = v.hosts.find((h) => h.host_id === spiky.id);
      // an allocation made after the spike was seen: the spiking host is planned below full fidelity
      return s?.series?.full_fidelity === SPIKE_PROCESSES * 7 && s.allocation && s.allocation.planned_mode !== 'conservative' && v;
    }, { what: 'an allocation that reduces the spiking host', timeoutMs: 90_000 });
    if (!f) throw new Error('no fleet view');
    expect(f.allocation.feasible).toBe(true);
    for (const q of f.hosts.filter((h) => h.host_id !== spiky.id)) {
      expect(q.allocation?.planned_mode).toBe('conservative');
      expect(q.allocation!.target_series).toBeGreaterThanOrEqual(QUIET_PROCESSES * 7);
    }
    const targets = f.hosts.reduce((s, h) => s + (h.allocation?.target_series ?? 0), 0);
    expect(targets).toBeLessThanOrEqual(BUDGET);
    // the set_control task reached the spiking host's loop (the allocation in force: the latest one sent)
    const targetOf = async (): Promise<number | undefined> => (await fleet()).hosts.find((h) => h.host_id === spiky.id)?.allocation?.target_series;
    const spikyTarget = await waitFor(async () => {
      const t = await targetOf();
      const loop = (await json<{ target_series: number }>(`${spiky.controlUrl}/api/v1/status`)).target_series;
      return t !== undefined && loop === t && t;
    }, { what: 'the allocation in force on the spiking host', timeoutMs: 60_000 });
    // the budget went to the reduced host: more than its margin, so its loop can keep signal
    expect(spikyTarget).toBeGreaterThan(BUDGET / 2);
    const tasks = await json<AgentTaskList>(`${apiUrl}/api/v1/tasks?host_id=${spiky.id}`);
    expect(tasks.tasks.some((t) => t.type === 'set_control' && t.status === 'succeeded' && t.source === 'fleet_controller')).toBe(true);
    const active = await waitFor(async () => {
      const counts = await Promise.all(hosts.map((h) => seriesOf(h.activeUrl)));
      return counts.reduce((a, b) => a + b, 0) <= BUDGET && counts[2] <= spikyTarget && counts;
    }, { what: "the fleet's active series inside the budget, the spiking host inside its allocation", timeoutMs: 90_000 });
    expect(active[0]).toBe(QUIET_PROCESSES * 7);
    expect(active[1]).toBe(QUIET_PROCESSES * 7);
    expect(active[2]).toBeGreaterThan(0);
    expect(await modeOf(hosts[0])).toBe('conservative');
    expect(await modeOf(hosts[1])).toBe('conservative');
    expect(['balanced', 'aggressive']).toContain(await modeOf(spiky));
  }, 240_000);
});
