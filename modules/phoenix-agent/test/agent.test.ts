/**
 * The agent beside a real phoenix-core it does not manage, against the test API (a contract-checked fake
 * by default: see testApi.ts) and the real Pushgateway: registration, KPI samples, pushes, set_control
 * through the control file (the core's observatory shows it), diagnostics, refused capabilities.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryLogger, freePorts } from '@phoenix/runtime';
import { startPushgateway, waitFor, type PushgatewayHandle, type SpawnedService, corePortsEnv } from '@phoenix/testkit';
import { AgentService } from '../src/service';
import { agentConfig, coreUrls, observatory, sendOtlp, startCore, tempDir, value, type CoreUrls } from './harness';
import { startTestApi, type TestApi } from './testApi';

const HOST = 'agent-test-host';

describe('phoenix-agent beside a real phoenix-core (unmanaged)', () => {
  let api: TestApi;
  let pg: PushgatewayHandle;
  let core: SpawnedService;
  let urls: CoreUrls;
  let dir: string;
  let agent: AgentService;
  let log: ReturnType<typeof memoryLogger>;

  beforeAll(async () => {
    dir = tempDir('e2e');
    const env = await corePortsEnv();
    urls = coreUrls(env);
    [api, pg, core] = await Promise.all([startTestApi({ heartbeatIntervalSeconds: 0.2, pollTimeoutSeconds: 5 }), startPushgateway(), startCore(env, dir)]);
    await sendOtlp(urls, 2, 15);
    const [port] = await freePorts(1);
    log = memoryLogger();
    agent = new AgentService(
      agentConfig({
        ...env,
        PHOENIX_API_URL: api.url,
        PHOENIX_AGENT_KEY: api.key,
        PHOENIX_HOST_ID: HOST,
        PHOENIX_DATA_DIR: dir,
        PHOENIX_AGENT_PORT: String(port),
        PHOENIX_CONTROL_URL: '',
        PHOENIX_PUSHGATEWAY_URL: pg.url,
        PHOENIX_AGENT_METRICS_INTERVAL_SECONDS: '0.2',
        PHOENIX_AGENT_GENERATORS_CLI: path.join(dir, 'no-generators-here.js'),
      }),
      { log },
    );
    await agent.start();
  });
  afterAll(async () => {
    await agent?.stop();
    await Promise.all([api?.stop(), pg?.stop(), core?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('registers with a heartbeat that states what this host can do, honestly', async () => {
    const [first] = await waitFor(async () => {
      const hbs = await api.heartbeats(HOST);
      return hbs.length > 0 && hbs;
    });
    expect(first).toMatchObject({ hostname: os.hostname(), agent_version: '0.1.0', capabilities: ['set_control', 'collect_diagnostics', 'pushgateway'], active_tasks: [], active_pipelines: [] });
    expect(first.resource_usage.agent.pid).toBe(process.pid);
    expect(first.resource_usage.agent.rss_bytes).toBeGreaterThan(0);
    const later = await waitFor(async () => (await api.heartbeats(HOST)).find((h) => h.resource_usage.core !== undefined));
    expect(later.resource_usage.core).toMatchObject({ status: 'unmanaged' });
    expect(later.control).toEqual({ mode: 'conservative', profile: 'balanced', topk_k: 20, target_series: 20000, generation: 0 });
  });

  test("KPI samples carry the core's own figures, with increasing seqs", async () => {
    const samples = await waitFor(async () => {
      const s = await api.samples(HOST);
      return s.length >= 2 && s;
    });
    const fromCore = await observatory(urls);
    const last = samples[samples.length - 1];
    expect(last.core_up).toBe(true);
    expect(last.series).toEqual({
      full_fidelity: value(fromCore, 'phoenix_pipeline_series', { pipeline: 'full_fidelity' }),
      optimized: value(fromCore, 'phoenix_pipeline_series', { pipeline: 'optimized' }),
      experimental_topk: value(fromCore, 'phoenix_pipeline_series', { pipeline: 'experimental_topk' }),
    });
    expect(last.series.full_fidelity).toBe(30);
    expect(last.active_series).toBe(30);
    for (let i = 1; i < samples.length; i++) expect(samples[i].seq).toBeGreaterThan(samples[i - 1].seq);
  });

  test('pushes its KPIs and its own metrics to the Pushgateway, grouped job="phoenix-agent", instance=<host id>', async () => {
    const lines = await waitFor(async () => {
      const l = await pg.groupLines('phoenix-agent', HOST);
      return l.some((x) => x.startsWith('phoenix_host_series{')) && l;
    });
    const names = [...new Set(lines.map((l) => l.slice(0, l.search(/[{ ]/))))].sort();
    expect(names).toEqual([
      'phoenix_agent_api_auth_failed',
      'phoenix_agent_api_reachable',
      'phoenix_agent_api_requests_total',
      'phoenix_agent_core_restarts_total',
      'phoenix_agent_core_scrapes_total',
      'phoenix_agent_info',
      'phoenix_agent_journal_entries',
      'phoenix_agent_outbox_delivered_total',
      'phoenix_agent_outbox_entries',
      'phoenix_agent_pushes_total',
      'phoenix_agent_tasks_running',
      'phoenix_host_active_series',
      'phoenix_host_attribution_coverage_ratio',
      'phoenix_host_control_mode_info',
      'phoenix_host_core_cpu_seconds_total',
      'phoenix_host_core_resident_memory_bytes',
      'phoenix_host_core_up',
      'phoenix_host_heavy_hitter_recall_ratio',
      'phoenix_host_ingest_points_per_second',
      'phoenix_host_kpi_timestamp_seconds',
      'phoenix_host_optimized_series_by_profile',
      'phoenix_host_series',
      'phoenix_host_target_series',
      'phoenix_host_topk_k',
      'phoenix_host_topk_streams',
      'phoenix_host_totals_preservation_ratio',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'push_failure_time_seconds',
      'push_time_seconds',
    ]);
    const g = `instance="${HOST}",job="phoenix-agent"`;
    expect(lines).toEqual(
      expect.arrayContaining([
        `phoenix_agent_info{host_id="${HOST}",${g},version="0.1.0"} 1`,
        `phoenix_host_core_up{${g}} 1`,
        `phoenix_host_series{${g},pipeline="full_fidelity"} 30`,
        `phoenix_host_active_series{${g}} 30`,
        `phoenix_host_control_mode_info{${g},mode="conservative",profile="balanced"} 1`,
        `phoenix_host_target_series{${g}} 20000`,
        `phoenix_host_topk_k{${g}} 20`,
        `phoenix_agent_journal_entries{${g}} 0`,
      ]),
    );
  });

  test('set_control without a phoenix-control: the control file is written and the core shows the applied mode and generation', async () => {
    const id = await api.enqueue(HOST, 'set_control', { target_series: 25, max_mode: 'balanced', source: 'fleet', reason: 'fleet allocation' });
    const t = await waitFor(async () => {
      const x = await api.task(id);
      return x?.status === 'succeeded' && x;
    });
    expect(t.result).toEqual({
      via: 'control_file',
      file: path.join(dir, 'optimization_mode.yaml'),
      written: true,
      generation: 1,
      mode: 'balanced',
      profile: 'balanced',
      topk_k: 20,
      target_series: 25,
      source: 'actuator',
      override_expires_at: null,
      core_generation: 1,
      core_loaded: true,
    });
    const s = await observatory(urls);
    expect([value(s, 'phoenix_control_generation'), value(s, 'phoenix_control_mode_info', { mode: 'balanced', profile: 'balanced' }), value(s, 'phoenix_control_target_series')]).toEqual([1, 1, 25]);
    expect(value(s, 'phoenix_active_pipeline_info', { pipeline: 'optimized' })).toBe(1);
  });

  test('collect_diagnostics: agent state, core health, observatory excerpt, recent log lines', async () => {
    const id = await api.enqueue(HOST, 'collect_diagnostics', { log_lines: 5 });
    const t = await waitFor(async () => {
      const x = await api.task(id);
      return x?.status === 'succeeded' && x;
    });
    const r = t.result as { agent: Record<string, unknown>; core_health: Record<string, unknown>; observatory: string[]; logs: Array<{ msg: string }> };
    expect(Object.keys(r).sort()).toEqual(['agent', 'core_health', 'logs', 'observatory']);
    expect(r.agent).toMatchObject({ status: 'ok', host_id: HOST, core: { managed: false, healthy: true } });
    expect(r.core_health).toMatchObject({ url: urls.health, status: 200 });
    // the excerpt is of the agent's last scrape (every metrics interval): it may predate the last control change
    expect(r.observatory.filter((l) => /^phoenix_control_generation [01]$/.test(l))).toHaveLength(1);
    expect(r.observatory.every((l) => l.startsWith('phoenix_'))).toBe(true);
    expect(r.logs.length).toBeLessThanOrEqual(5);
  });

  test('a task this host cannot do fails non-retryably with the reason; a bad config with the schema errors', async () => {
    const deploy = await api.enqueue(HOST, 'deploy_pipeline', { pipeline_id: 'cand-1', template: {} });
    const restart = await api.enqueue(HOST, 'restart_core', {});
    const load = await api.enqueue(HOST, 'load_simulation', { duration_seconds: 1 });
    const bad = await api.enqueue(HOST, 'set_control', { target_series: -1 });
    const done = await waitFor(async () => {
      const all = await Promise.all([deploy, restart, load, bad].map((i) => api.task(i)));
      return all.every((x) => x?.status === 'failed') && all;
    });
    expect(done.map((t) => [t?.error, t?.attempts])).toEqual([
      ["capability deploy_pipeline not supported by this host's phoenix-core", 1],
      ["capability restart_core not supported: this agent does not manage the host's phoenix-core (PHOENIX_AGENT_MANAGE_CORE=false)", 1],
      [`capability load_simulation not supported: phoenix-generators is not installed on this host (${path.join(dir, 'no-generators-here.js')} is missing)`, 1],
      ['invalid set_control config: target_series: must be >= 1', 1],
    ]);
  });

  test('serves /health and /metrics, nothing else', async () => {
    const base = `http://127.0.0.1:${agent.port}`;
    const h = await fetch(`${base}/health`);
    expect(h.status).toBe(200);
    expect(await h.json()).toMatchObject({ status: 'ok', problems: [], host_id: HOST, api: { reachable: true }, pushgateway: `${pg.url}/metrics/job/phoenix-agent/instance/${HOST}` });
    const m = await fetch(`${base}/metrics`);
    expect(m.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await m.text()).toContain(`phoenix_host_series{pipeline="full_fidelity"} 30`);
    expect((await fetch(`${base}/api/v1/anything`)).status).toBe(404);
    expect((await fetch(`${base}/health`, { method: 'POST' })).status).toBe(405);
  });
});
