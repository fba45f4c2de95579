import { createOpenApiValidator } from '@phoenix/contracts';
import { Registry } from 'prom-client';
import { listenHttp, ManualClock, silentLogger, type HttpListener } from '@phoenix/runtime';
import { defaultExporterConfig } from '../exporter/exporterConfig';
import { Generator } from '../generator/generator';
import { defaultGeneratorConfig } from '../generator/generatorConfig';
import { defaultProfilesDir, loadProfilesDir } from '../profiles/loadProfiles';
import { startFakeOtlpReceiver, type FakeOtlpReceiver } from '../testing/fakeOtlpReceiver';
import { defaultWorkloadConfig } from '../workload/workloadConfig';
import { createApiApp } from './createApiApp';
import { defaultGeneratorsApiConfig, type GeneratorsApiConfig } from './generatorsApiConfig';

const validateResponse = createOpenApiValidator('generators');
const doc = validateResponse.doc;
const exercised = new Set<string>();

interface Harness {
  base: string;
  generator: Generator;
  server: HttpListener;
  receiver: FakeOtlpReceiver;
  close(): Promise<void>;
}

async function start(api: Partial<GeneratorsApiConfig> = {}): Promise<Harness> {
  const receiver = await startFakeOtlpReceiver();
  const registry = new Registry();
  const generator = new Generator({
    clock: new ManualClock(), // no scheduled exports: tests tick explicitly
    registry,
    log: silentLogger(),
    exporter: { ...defaultExporterConfig, url: receiver.grpcUrl },
    workload: defaultWorkloadConfig,
    config: defaultGeneratorConfig,
    meterVersion: '0.1.0',
  });
  await generator.start();
  const config: GeneratorsApiConfig = { ...defaultGeneratorsApiConfig, port: 0, rateLimitPerMinute: 1000, ...api };
  const app = createApiApp({ generator, profiles: loadProfilesDir(defaultProfilesDir()), registry, config, log: silentLogger() });
  const server = await listenHttp(app, { port: 0, bindAddress: '127.0.0.1' });
  return {
    base: `http://127.0.0.1:${server.port}`,
    generator,
    server,
    receiver,
    async close() {
      await generator.stop();
      await server.stop();
      await receiver.close();
    },
  };
}

/** Calls the API and checks the response body against the OpenAPI document. */
async function call(
  h: Harness,
  method: string,
  path: string,
  opts: { json?: unknown; raw?: string; contentType?: string; token?: string } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['Content-Type'] = 'application/json';
  }
  if (opts.raw !== undefined) body = opts.raw;
  if (opts.contentType) headers['Content-Type'] = opts.contentType;
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${h.base}${path}`, { method, headers, body });
  const text = await res.text();
  const isJson = (res.headers.get('content-type') ?? '').includes('json');
  const parsed: unknown = isJson ? JSON.parse(text) : text;
  const v = validateResponse(method, path, res.status, parsed);
  if (!v.ok) throw new Error(`${method} ${path} -> ${res.status} does not match the OpenAPI document:\n${v.errors.join('\n')}\n${text}`);
  exercised.add(`${method.toLowerCase()} ${res.status}`);
  return { status: res.status, body: parsed, headers: res.headers };
}

describe('load-control API', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await start();
  });
  afterEach(async () => {
    await h.close();
  });

  test('GET /health and GET /api/v1/load when idle', async () => {
    expect(await call(h, 'GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok', running: false } });
    const load = await call(h, 'GET', '/api/v1/load');
    expect(load).toMatchObject({
      status: 200,
      body: { running: false, source: 'idle', scenario: null, load: defaultGeneratorConfig.default_load, exports: { ticks: 0, last_export_at: null } },
    });
  });

  test('PUT /api/v1/load sets and runs the manual load; omitted fields keep their value', async () => {
    const r = await call(h, 'PUT', '/api/v1/load', { json: { hosts: 2, processes_per_host: 15 } });
    expect(r).toMatchObject({ status: 200, body: { running: true, source: 'manual', series_per_export: 2 * 15 * 7, load: { hosts: 2, processes_per_host: 15, churn_rate: 0.01 } } });
    const r2 = await call(h, 'PUT', '/api/v1/load', { json: { churn_rate: 0.2 } });
    expect(r2.body).toMatchObject({ load: { hosts: 2, processes_per_host: 15, churn_rate: 0.2 } });
    expect(h.generator.isRunning).toBe(true);
  });

  test('invalid bodies get 400 with the schema errors, each naming the field', async () => {
    const r = await call(h, 'PUT', '/api/v1/load', { json: { hosts: 0, processes_per_host: 'many', bogus: true } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: 'invalid load settings',
      details: expect.arrayContaining(['bogus: is not allowed (unknown field)', 'hosts: must be >= 1', 'processes_per_host: must be integer']) as unknown,
    });
    expect(await call(h, 'PUT', '/api/v1/load', { json: {} })).toMatchObject({ status: 400, body: { details: ['(document): must NOT have fewer than 1 properties'] } });
    expect(await call(h, 'PUT', '/api/v1/load', { json: [1, 2] })).toMatchObject({ status: 400, body: { details: ['(document): must be object'] } });
    expect(await call(h, 'PUT', '/api/v1/load')).toMatchObject({ status: 400, body: { details: ['(document): a JSON object body is required'] } });
    expect(await call(h, 'PUT', '/api/v1/load', { raw: '{"hosts": ', contentType: 'application/json' })).toMatchObject({
      status: 400,
      body: { error: 'the body is not valid JSON' },
    });
    expect(await call(h, 'PUT', '/api/v1/load', { raw: 'hosts=3', contentType: 'application/x-www-form-urlencoded' })).toMatchObject({ status: 415 });
    expect(await call(h, 'PUT', '/api/v1/load', { raw: JSON.stringify({ hosts: 1, pad: 'x'.repeat(20_000) }), contentType: 'application/json' })).toMatchObject({
      status: 413,
      body: { error: 'the body is larger than 16384 bytes' },
    });
    expect(await call(h, 'PUT', '/api/v1/load', { json: { hosts: 10_000, processes_per_host: 100_000 } })).toMatchObject({
      status: 400,
      body: { error: 'load too large', details: [expect.stringMatching(/exceeds the limit of 200000 processes/)] },
    });
    expect(h.generator.isRunning).toBe(false);
  });

  test('scenarios: list, start (with and without options), 404 for an unknown name, 400 for bad options', async () => {
    const list = await call(h, 'GET', '/api/v1/scenarios');
    expect((list.body as { scenarios: { name: string }[] }).scenarios.map((s) => s.name).sort()).toEqual([
      'churn_storm',
      'gradual_growth',
      'spike',
      'steady',
      'wave',
    ]);
    const unknown = await call(h, 'POST', '/api/v1/scenarios/nope/start');
    expect(unknown).toMatchObject({ status: 404, body: { error: 'unknown scenario "nope"', details: ['known scenarios: churn_storm, gradual_growth, spike, steady, wave'] } });
    expect(await call(h, 'POST', '/api/v1/scenarios/spike/start', { json: { seed: -1, extra: 1 } })).toMatchObject({
      status: 400,
      body: { details: expect.arrayContaining(['extra: is not allowed (unknown field)', 'seed: must be >= 0']) as unknown },
    });
    const started = await call(h, 'POST', '/api/v1/scenarios/spike/start', { json: { seed: 7, duration_seconds: 60 } });
    expect(started).toMatchObject({
      status: 200,
      body: { running: true, source: 'scenario', load: { seed: 7, hosts: 10, processes_per_host: 80 }, scenario: { name: 'spike', phase: 'baseline', stop_after_seconds: 60 } },
    });
    expect(await call(h, 'POST', '/api/v1/scenarios/churn_storm/start')).toMatchObject({ status: 200, body: { scenario: { name: 'churn_storm' }, load: { seed: 42 } } });
    const stopped = await call(h, 'POST', '/api/v1/load/stop');
    expect(stopped).toMatchObject({ status: 200, body: { running: false, source: 'idle', scenario: { name: 'churn_storm' } } });
  });

  test('GET /api/v1/truth, GET /metrics and unknown routes', async () => {
    const empty = await call(h, 'GET', '/api/v1/truth');
    expect(empty).toMatchObject({ status: 200, body: { hosts: [], series: 0, running: false } });
    await call(h, 'PUT', '/api/v1/load', { json: { hosts: 2, processes_per_host: 12, churn_rate: 0 } });
    await h.generator.tick();
    const truth = await call(h, 'GET', '/api/v1/truth');
    expect(truth).toMatchObject({ status: 200, body: { running: true, series: 2 * 12 * 7, seed: 42 } });
    const hosts = (truth.body as { hosts: { host_name: string; top_processes: unknown[]; metrics: unknown[] }[] }).hosts;
    expect(hosts.map((x) => x.host_name)).toEqual(['sim-host-0001', 'sim-host-0002']);
    expect(hosts[0].top_processes).toHaveLength(10);
    expect(hosts[0].metrics).toHaveLength(5);
    const detailed = await call(h, 'GET', '/api/v1/truth?processes=true');
    const list = (detailed.body as { hosts: { process_list: { pid: number; cpu_rate: number }[]; top_processes: { pid: number; cpu_rate: number }[] }[] }).hosts[0];
    expect(list.process_list).toHaveLength(12);
    const fastest = [...list.process_list].sort((a, b) => b.cpu_rate - a.cpu_rate || a.pid - b.pid).slice(0, 10);
    expect(fastest.map((p) => p.pid)).toEqual(list.top_processes.map((p) => p.pid));
    expect(await call(h, 'GET', '/api/v1/truth?processes=yes')).toMatchObject({ status: 400, body: { details: ['processes: must be true or false (got "yes")'] } });
    const metrics = await call(h, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/phoenix_generator_exports_total\{outcome="ok"\} 2/);
    expect(metrics.body).toMatch(/phoenix_generator_export_series 168/);
    expect(metrics.body).toMatch(/phoenix_generator_data_points_exported_total 168/);
    expect(metrics.body).toContain('phoenix_generators_api_requests_total{route="/api/v1/load",method="PUT",status="200"} 1');
    expect(metrics.body).toContain('phoenix_generators_api_requests_total{route="/api/v1/truth",method="GET",status="400"} 1');
    const res = await fetch(`${h.base}/api/v2/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'no such route' });
  });
});

describe('load-control API security', () => {
  test('with PHOENIX_API_TOKEN, mutating routes need the bearer token (401 otherwise); reads do not', async () => {
    const h = await start({ token: 'sekrit-token-of-16+' });
    try {
      const missing = await call(h, 'PUT', '/api/v1/load', { json: { hosts: 1 } });
      expect(missing).toMatchObject({ status: 401, body: { error: 'missing or wrong bearer token (Authorization: Bearer <PHOENIX_API_TOKEN>)' } });
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="phoenix-generators"');
      expect(await call(h, 'PUT', '/api/v1/load', { json: { hosts: 1 }, token: 'wrong-token' })).toMatchObject({
        status: 401,
        body: { error: 'missing or wrong bearer token (Authorization: Bearer <PHOENIX_API_TOKEN>)' },
      });
      expect(await call(h, 'POST', '/api/v1/scenarios/spike/start', { token: 'nope-nope' })).toMatchObject({ status: 401 });
      expect(await call(h, 'POST', '/api/v1/load/stop')).toMatchObject({ status: 401 });
      expect(await call(h, 'PUT', '/api/v1/load', { json: { hosts: 1 }, token: 'sekrit-token-of-16+' })).toMatchObject({ status: 200 });
      expect(await call(h, 'GET', '/api/v1/load')).toMatchObject({ status: 200 });
      expect(await call(h, 'GET', '/api/v1/truth')).toMatchObject({ status: 200 });
      expect(await call(h, 'POST', '/api/v1/load/stop', { token: 'sekrit-token-of-16+' })).toMatchObject({ status: 200 });
    } finally {
      await h.close();
    }
  });

  test('mutating routes are rate limited (429)', async () => {
    const h = await start({ rateLimitPerMinute: 3 });
    try {
      for (let i = 0; i < 3; i++) expect((await call(h, 'POST', '/api/v1/load/stop')).status).toBe(200);
      const limited = await call(h, 'POST', '/api/v1/load/stop');
      expect(limited).toMatchObject({ status: 429, body: { error: 'rate limit: at most 3 mutating requests per minute' } });
      expect((await call(h, 'GET', '/api/v1/load')).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});

describe('OpenAPI document', () => {
  test('is OpenAPI 3.0 and every operation and documented status used above was answered and validated', () => {
    expect(doc.openapi).toMatch(/^3\.0\./);
    const ops = Object.entries(doc.paths).flatMap(([, item]) => Object.keys(item));
    expect(ops.length).toBe(8);
    for (const expected of ['get 200', 'get 400', 'put 200', 'put 400', 'put 401', 'put 413', 'put 415', 'post 200', 'post 400', 'post 401', 'post 404', 'post 429']) {
      expect(exercised).toContain(expected);
    }
  });
});
