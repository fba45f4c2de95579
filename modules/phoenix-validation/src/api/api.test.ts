import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '@phoenix/testkit';
import { FakeStack } from '../../test/fakeStack';
import { catalogYaml, quickSpikeScenario, tmpDir } from '../../test/helpers';
import { call, documented, seen } from '../../test/openapi';
import { loadConfig, type ValidationServiceConfig } from '../config';
import type { BenchmarkResult, BenchmarkRun, ValidationBenchmarkList, ValidationError, ValidationHealth } from '@phoenix/contracts';
import { silentLogger, startLifecycle } from '@phoenix/runtime';
import { ValidationService } from '../service';
import { RunStore } from '../store/store';

const TOKEN = 'validation-test-token-0123456789';

const CATALOG = catalogYaml(
  quickSpikeScenario(['min_heavy_hitter_recall: 1', 'max_transitions: 4']),
  ['  - name: long_steady', '    description: the steady profile for 10 minutes (cancelled by the tests)', '    profile: steady', '    duration_seconds: 600', '    slo:', '      max_transitions: 0'].join('\n'),
);

async function startService(dir: string, stack: FakeStack, env: Record<string, string> = {}): Promise<{ svc: ValidationService; base: string; config: ValidationServiceConfig }> {
  fs.writeFileSync(path.join(dir, 'catalog.yaml'), CATALOG);
  const { config, errors } = loadConfig({
    PHOENIX_DATA_DIR: dir,
    PHOENIX_VALIDATION_PORT: '0',
    PHOENIX_VALIDATION_CATALOG: path.join(dir, 'catalog.yaml'),
    PHOENIX_API_TOKEN: TOKEN,
    PHOENIX_VALIDATION_API_RATE_LIMIT_PER_MINUTE: '1000',
    PHOENIX_VALIDATION_RECALL_MIN_AGE_SECONDS: '0',
    PHOENIX_ENV: 'ci',
    ...stack.env(),
    ...env,
  });
  if (errors.length > 0) throw new Error(errors.join('\n'));
  const svc = await startLifecycle(new ValidationService(config, { log: silentLogger(), processMetrics: false }));
  return { svc, base: `http://127.0.0.1:${svc.port}`, config };
}

async function waitState(base: string, id: string, states: string[], timeoutMs = 20_000): Promise<BenchmarkRun> {
  return waitFor(
    async () => {
      const r = await call(base, 'GET', `/api/v1/benchmarks/${id}`);
      const run = r.body as BenchmarkRun;
      return states.includes(run.state) ? run : undefined;
    },
    { timeoutMs, intervalMs: 100, what: `run ${id} to be ${states.join(' or ')}` },
  );
}

describe('benchmark API over HTTP (fake stack)', () => {
  const stack = new FakeStack();
  let dir: string;
  let svc: ValidationService;
  let base: string;
  let completedId = '';

  beforeAll(async () => {
    await stack.start();
    stack.budget = 8000; // the spike's fleet at reference 8000: 10 hosts; 5,600 series at rest, 28,000 in the spike
    dir = tmpDir();
    ({ svc, base } = await startService(dir, stack));
  });
  afterAll(async () => {
    await svc?.stop();
    await stack.stop();
  });

  it('GET /api/v1/scenarios: the catalog', async () => {
    const r = await call(base, 'GET', '/api/v1/scenarios');
    expect(r.status).toBe(200);
    expect((r.body as { scenarios: { name: string }[] }).scenarios.map((s) => s.name)).toEqual(['quick_spike', 'long_steady']);
  });

  it('unknown scenario -> 400 naming the known ones; nothing is created', async () => {
    const r = await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, body: { scenario: 'no_such_thing' } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: 'unknown scenario "no_such_thing"', details: ['scenario: must be one of quick_spike, long_steady'] });
    expect(((await call(base, 'GET', '/api/v1/benchmarks')).body as ValidationBenchmarkList).runs).toEqual([]);
  });

  it('malformed or invalid bodies -> 400 with the schema errors, each naming its field', async () => {
    const bad = async (body: unknown): Promise<string[]> => {
      const r = await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, body });
      expect(r.status).toBe(400);
      return (r.body as ValidationError).details ?? [];
    };
    expect(await bad({ scenario: 'quick_spike', time_scale: 5, extra: true })).toEqual(['extra: is not allowed (unknown field)', 'time_scale: must be <= 1']);
    expect(await bad({})).toEqual(['scenario: is required']);
    expect(await bad({ scenario: 'Quick Spike' })).toEqual(['scenario: must match pattern "^[a-z][a-z0-9_]{0,63}$"']);
    expect(await bad([1, 2])).toEqual(['(document): must be object']);
    const malformed = await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, raw: '{"scenario": ' });
    expect(malformed.status).toBe(400);
    expect((malformed.body as ValidationError).error).toBe('the body is not valid JSON');
    expect((malformed.body as ValidationError).details?.[0]).toMatch(/^\(document\): /);
    expect((await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, raw: 'scenario=x', contentType: 'text/plain' })).status).toBe(415);
    expect((await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, raw: JSON.stringify({ scenario: 'x'.repeat(20000) }) })).status).toBe(413);
  });

  it('missing or wrong token -> 401 with WWW-Authenticate', async () => {
    const none = await call(base, 'POST', '/api/v1/benchmarks', { body: { scenario: 'quick_spike' } });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await call(base, 'POST', '/api/v1/benchmarks', { token: 'wrong-token-0123456789', body: { scenario: 'quick_spike' } })).status).toBe(401);
    expect((await call(base, 'DELETE', '/api/v1/benchmarks/whatever', { token: 'nope' })).status).toBe(401);
  });

  it('POST -> 202 with the run; a second POST while it runs -> 409; it completes with a stored, valid result', async () => {
    const r = await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, body: { scenario: 'quick_spike', time_scale: 0.02 } });
    expect(r.status).toBe(202);
    const run = r.body as BenchmarkRun;
    expect(run).toMatchObject({ scenario: 'quick_spike', time_scale: 0.02, state: 'pending', origin: 'api' });
    expect(r.headers.get('location')).toBe(`/api/v1/benchmarks/${run.id}`);
    const busy = await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, body: { scenario: 'long_steady' } });
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ run_id: run.id });
    const running = await waitState(base, run.id, ['running']);
    expect(running.lifecycle.map((t) => t.to)).toEqual(['pending', 'running']);
    const health = (await call(base, 'GET', '/health')).body as ValidationHealth;
    expect(health).toMatchObject({ status: 'ok', busy: true, run_id: run.id, data_source: 'direct' });
    // Not finished yet: no result, no report.
    expect((await call(base, 'GET', `/api/v1/benchmarks/${run.id}/result`)).status).toBe(409);
    expect((await call(base, 'GET', `/api/v1/benchmarks/${run.id}/report`)).status).toBe(409);
    const done = await waitState(base, run.id, ['completed', 'failed']);
    expect(done.reason).toBeUndefined();
    expect(done.state).toBe('completed');
    expect(done.lifecycle.map((t) => `${t.from}->${t.to}`)).toEqual(['null->pending', 'pending->running', 'running->analyzing', 'analyzing->completed']);
    expect(done.summary).toMatchObject({ passed: true, peak_mode: 'aggressive', transitions: 2, totals_preservation: 1, heavy_hitter_recall: 1 });
    completedId = run.id;
    const res = await call(base, 'GET', `/api/v1/benchmarks/${run.id}/result`);
    expect(res.status).toBe(200);
    const result = res.body as BenchmarkResult;
    expect(result).toMatchObject({ run_id: run.id, scenario: 'quick_spike', profile: 'spike', time_scale: 0.02, environment: 'ci', budget_series: 8000, passed: true });
    expect(result.fleet).toMatchObject({ profile_hosts: 10, hosts: 10, export_interval_seconds: 0.2, driver: 'load_api' });
    expect(result.control.transitions.map((t) => t.to_mode)).toEqual(['aggressive', 'conservative']);
    expect(result.control.transitions[0].reason).toBe('fake actuator: aggressive'); // from the control history
    expect(result.control.actuator_history).toBe('read');
    expect(result.heavy_hitter_recall.active.eligible).toBeGreaterThan(0);
    // The generators were driven: a fresh fleet, the spike and the recovery, then stopped.
    const puts = stack.calls.filter((c) => c.method === 'PUT').map((c) => (c.body as { processes_per_host: number }).processes_per_host);
    expect(puts).toEqual([80, 400, 80]);
    expect(stack.calls[0].method).toBe('POST');
    expect(stack.calls[stack.calls.length - 1].method).toBe('POST');
    expect(stack.running).toBe(false);
  });

  it('the report: self-contained HTML with SVG charts of the run', async () => {
    const r = await call(base, 'GET', `/api/v1/benchmarks/${completedId}/report`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.text).toMatch(/^<!DOCTYPE html>/);
    expect(r.text).toContain('<svg');
    expect(r.text).toContain('budget');
    expect(r.text).toContain('→ aggressive');
    expect(r.text).not.toMatch(/<script|src="http|href="http|url\(http/);
  });

  it('cancel of a finished run -> 409; unknown ids -> 404', async () => {
    const r = await call(base, 'DELETE', `/api/v1/benchmarks/${completedId}`, { token: TOKEN });
    expect(r.status).toBe(409);
    expect((r.body as ValidationError).error).toMatch(/is completed: a finished run cannot be cancelled/);
    for (const [m, p] of [
      ['GET', '/api/v1/benchmarks/nope'],
      ['DELETE', '/api/v1/benchmarks/nope'],
      ['GET', '/api/v1/benchmarks/nope/result'],
      ['GET', '/api/v1/benchmarks/nope/report'],
    ] as const) {
      expect((await call(base, m, p, { token: TOKEN })).status).toBe(404);
    }
  });

  it('DELETE cancels a running run: the load is stopped, the run is cancelled with the reason', async () => {
    const r = await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, body: { scenario: 'long_steady', time_scale: 0.02 } });
    const id = (r.body as BenchmarkRun).id;
    await waitState(base, id, ['running']);
    await waitFor(() => stack.running, { what: 'the load to start' });
    const c = await call(base, 'DELETE', `/api/v1/benchmarks/${id}`, { token: TOKEN });
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ id, state: 'cancelled', reason: expect.stringMatching(/^cancelled through the API/) });
    expect(stack.running).toBe(false);
    expect((await call(base, 'GET', `/api/v1/benchmarks/${id}/result`)).status).toBe(409);
    const report = await call(base, 'GET', `/api/v1/benchmarks/${id}/report`);
    expect(report.status).toBe(200);
    expect(report.text).toContain('CANCELLED');
    expect((await call(base, 'DELETE', `/api/v1/benchmarks/${id}`, { token: TOKEN })).status).toBe(409);
  });

  it('a run whose core cannot be read fails with the reason', async () => {
    stack.coreDown = true;
    try {
      const r = await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, body: { scenario: 'quick_spike', time_scale: 0.02 } });
      const run = await waitState(base, (r.body as BenchmarkRun).id, ['failed']);
      expect(run.reason).toMatch(/cannot read the core's KPIs from direct source .*\/core\/metrics: .*HTTP 503/);
    } finally {
      stack.coreDown = false;
    }
  });

  it('GET /api/v1/benchmarks: newest first, filters, bad parameters -> 400', async () => {
    const all = (await call(base, 'GET', '/api/v1/benchmarks')).body as ValidationBenchmarkList;
    expect(all.runs.map((r) => r.state)).toEqual(['failed', 'cancelled', 'completed']);
    expect(((await call(base, 'GET', '/api/v1/benchmarks', { query: '?state=completed' })).body as ValidationBenchmarkList).runs.map((r) => r.id)).toEqual([completedId]);
    expect(((await call(base, 'GET', '/api/v1/benchmarks', { query: '?limit=1' })).body as ValidationBenchmarkList).runs).toHaveLength(1);
    const bad = await call(base, 'GET', '/api/v1/benchmarks', { query: '?limit=0&state=bogus' });
    expect(bad.status).toBe(400);
    expect((bad.body as ValidationError).details).toEqual([
      'limit: must be an integer from 1 to 1000 (got "0")',
      'state: must be one of pending, running, analyzing, completed, failed, cancelled (got "bogus")',
    ]);
  });

  it('/metrics and /health', async () => {
    const m = await call(base, 'GET', '/metrics');
    expect(m.status).toBe(200);
    expect(m.text).toMatch(/phoenix_validation_runs_total\{state="completed",passed="true"\} 1/);
    expect(m.text).toMatch(/phoenix_validation_run_in_flight 0/);
    expect((await call(base, 'GET', '/health')).body).toMatchObject({ status: 'ok', busy: false, scenarios: 2, recovered_runs: 0 });
    const nope = await fetch(`${base}/nope`);
    expect(nope.status).toBe(404);
    expect(await nope.json()).toEqual({ error: 'no such route' });
  });

  it('every response the tests saw matched the OpenAPI document, and most documented responses were seen', () => {
    const notSeen = documented().filter((d) => !seen.has(d));
    // 403 (no token configured, non-loopback client) and 429 (rate limit) are covered in server.test.ts.
    expect(notSeen.sort()).toEqual(['DELETE /api/v1/benchmarks/{id} 403', 'DELETE /api/v1/benchmarks/{id} 429', 'POST /api/v1/benchmarks 403', 'POST /api/v1/benchmarks 429']);
  });
});

describe('restart recovery (in process)', () => {
  it('a run left in flight is marked failed with the reason on start; the other runs are kept', async () => {
    const stack = await new FakeStack().start();
    const dir = tmpDir();
    const db = path.join(dir, 'validation.sqlite');
    const store = RunStore.open(db);
    store.create({ id: 'done', scenario: 'quick_spike', timeScale: 1, origin: 'api', ownerPid: 1, at: '2026-01-01T00:00:00.000Z' });
    store.transition('done', 'cancelled', '2026-01-01T00:00:01.000Z', 'x');
    store.create({ id: 'inflight', scenario: 'quick_spike', timeScale: 1, origin: 'api', ownerPid: 1, at: '2026-01-01T00:00:02.000Z' });
    store.transition('inflight', 'running', '2026-01-01T00:00:03.000Z');
    store.close();
    stack.running = true; // its load was still running
    const { svc, base } = await startService(dir, stack, { PHOENIX_VALIDATION_DB: db });
    try {
      const run = (await call(base, 'GET', '/api/v1/benchmarks/inflight')).body as BenchmarkRun;
      expect(run.state).toBe('failed');
      expect(run.reason).toMatch(/^phoenix-validation \(service, pid 1\) stopped while the run was running: the run cannot be resumed$/);
      expect(run.lifecycle.map((t) => t.to)).toEqual(['pending', 'running', 'failed']);
      expect(((await call(base, 'GET', '/api/v1/benchmarks/done')).body as BenchmarkRun).state).toBe('cancelled');
      expect(((await call(base, 'GET', '/health')).body as ValidationHealth).recovered_runs).toBe(1);
      await waitFor(() => !stack.running, { what: 'the dead run\'s load to be stopped' });
      // A new run can start.
      expect((await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, body: { scenario: 'long_steady', time_scale: 0.02 } })).status).toBe(202);
    } finally {
      await svc.stop();
      await stack.stop();
    }
  });
});
