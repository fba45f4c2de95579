/** load_simulation: a phoenix-generators profile (the generate CLI) against the host's own real core, then the report of what was sent. */
import fs from 'node:fs';
import { memoryLogger, freePorts } from '@phoenix/runtime';
import { waitFor, type SpawnedService, corePortsEnv } from '@phoenix/testkit';
import { packageFile } from '../src/config';
import { AgentService } from '../src/service';
import { agentConfig, coreUrls, observatory, requireBuilt, startCore, tempDir, value, type CoreUrls } from './harness';
import { startTestApi, type TestApi } from './testApi';

const HOST = 'load-host';

describe('load_simulation against the real core', () => {
  let api: TestApi;
  let core: SpawnedService;
  let urls: CoreUrls;
  let dir: string;
  let agent: AgentService;

  beforeAll(async () => {
    requireBuilt(packageFile('@phoenix/generators', 'dist/cli/generateCli.js'));
    dir = tempDir('load');
    const env = await corePortsEnv();
    urls = coreUrls(env);
    [api, core] = await Promise.all([startTestApi({ heartbeatIntervalSeconds: 0.5, pollTimeoutSeconds: 5 }), startCore({ ...env, PHOENIX_STALENESS_SECONDS: '300' }, dir)]);
    const [port] = await freePorts(1);
    agent = new AgentService(agentConfig({ ...env, PHOENIX_API_URL: api.url, PHOENIX_AGENT_KEY: api.key, PHOENIX_HOST_ID: HOST, PHOENIX_DATA_DIR: dir, PHOENIX_AGENT_PORT: String(port), PHOENIX_CONTROL_URL: '' }), {
      log: memoryLogger(),
    });
    await agent.start();
  });
  afterAll(async () => {
    await agent?.stop();
    await Promise.all([api?.stop(), core?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const finished = (id: string) =>
    waitFor(
      async () => {
        const t = await api.task(id);
        return ['succeeded', 'failed'].includes(t?.status ?? '') && t;
      },
      { timeoutMs: 60_000 },
    );

  test('runs the profile with the task overrides for its duration and reports what was sent', async () => {
    expect(agent.capabilities()).toContain('load_simulation');
    const id = await api.enqueue(HOST, 'load_simulation', { profile: 'steady', duration_seconds: 3, hosts: 2, processes_per_host: 5, seed: 7 });
    const t = await finished(id);
    expect([t.status, t.error ?? null]).toEqual(['succeeded', null]);
    const r = t.result as { summary: { profile: string; seed: number; exports_ok: number; exports_failed: number; max_series_per_export: number; export_intervals: number }; endpoint: string; duration_seconds: number; exit_code: number };
    expect([r.endpoint, r.duration_seconds, r.exit_code, r.summary.profile, r.summary.seed, r.summary.exports_failed]).toEqual([urls.otlpHttp, 3, 0, 'steady', 7, 0]);
    // 2 hosts x 5 processes x 7 metrics; a 3 s run of a profile exporting every 10 s is one export interval
    expect([r.summary.max_series_per_export, r.summary.export_intervals]).toEqual([70, 1]);
    expect(r.summary.exports_ok).toBeGreaterThan(0);
    // what the core holds is what was sent: the series of the last export
    const s = await observatory(urls);
    expect(value(s, 'phoenix_pipeline_series', { pipeline: 'full_fidelity' })).toBe(r.summary.max_series_per_export);
    expect(fs.readdirSync(`${dir}/agent/tmp`)).toEqual([]);
  });

  test('an unknown profile and an unsupported option fail non-retryably, naming what is wrong', async () => {
    const unknown = await api.enqueue(HOST, 'load_simulation', { profile: 'nope', duration_seconds: 1 });
    const prefix = await api.enqueue(HOST, 'load_simulation', { duration_seconds: 1, host_prefix: 'x' });
    const [a, b] = [await finished(unknown), await finished(prefix)];
    expect([a.status, a.error, a.attempts]).toEqual(['failed', 'load_simulation.profile: unknown profile "nope" (known: churn_storm, gradual_growth, spike, steady, wave)', 1]);
    expect([b.status, b.error, b.attempts]).toEqual(['failed', "load_simulation.host_prefix: not supported by this host's phoenix-generators (its generate CLI has no host prefix option)", 1]);
  });
});
