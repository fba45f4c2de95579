import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { waitFor } from '@phoenix/testkit';
import { findSamples, parseExposition, ManualClock, silentLogger } from '@phoenix/runtime';
import { Registry } from 'prom-client';
import { FakeKpis, readControlFile, startTestService, testConfig, tmpDir } from '../../test/helpers';
import { OpenApiValidator } from '../../test/openapi';
import { loadConfig } from '../config';
import { type ControlHealth, type ControlHistory, type ControlStatus, validateControlHealth, validateControlHistory, validateControlStatus } from '@phoenix/contracts';
import { ControlFileWriter } from '../controlFileWriter/writer';
import { Controller } from '../controller/controller';
import { defaultActuatorConfig } from '../actuator/config';
import { createApiApp } from './server';
import { defaultApiConfig } from './config';

const TOKEN = 'test-token-0123456789abcdef';
const openapi = new OpenApiValidator();

interface Call {
  status: number;
  body: unknown;
  headers: Headers;
  text: string;
}

/** One HTTP call; every response is validated against the OpenAPI document. */
async function call(
  base: string,
  method: string,
  route: string,
  opts: { body?: unknown; raw?: string; token?: string | null; contentType?: string; query?: string } = {},
): Promise<Call> {
  const headers: Record<string, string> = {};
  if (opts.token !== null && opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await fetch(`${base}${route}${opts.query ?? ''}`, { method, headers, body });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const parsed: unknown = type.startsWith('application/json') ? JSON.parse(text) : text;
  openapi.validate(method, route, res.status, type, parsed);
  return { status: res.status, body: parsed, headers: res.headers, text };
}

const status = (c: Call): ControlStatus => c.body as ControlStatus;

describe('control API over HTTP', () => {
  let svc: Awaited<ReturnType<typeof startTestService>>;
  let dir: string;

  beforeAll(async () => {
    dir = tmpDir();
    const kpis = new FakeKpis();
    kpis.set({ full: 15000 });
    svc = await startTestService(dir, { kpis, env: { PHOENIX_API_TOKEN: TOKEN, PHOENIX_CONTROL_API_RATE_LIMIT_PER_MINUTE: '1000' } });
  });
  afterAll(async () => {
    await svc.service.stop();
  });

  it('GET /api/v1/status: mode, profile, k, target, source, generation, reason, PID terms, KPIs', async () => {
    const r = await call(svc.base, 'GET', '/api/v1/status');
    expect(r.status).toBe(200);
    expect(validateControlStatus(r.body)).toMatchObject({ ok: true });
    expect(status(r)).toMatchObject({
      mode: 'conservative',
      target_series: 20000,
      configured_target_series: 20000,
      source: 'actuator',
      generation: 1,
      holding: false,
      kpis_fresh: true,
      kpis: { series: { full_fidelity: 15000 } },
    });
    expect(status(r).reason).toMatch(/conservative fits: predicted 15000 series <= budget 19000/);
    expect(status(r).pid).toEqual(expect.objectContaining({ p: expect.any(Number), i: expect.any(Number), d: expect.any(Number), output: expect.any(Number) }));
    expect(readControlFile(svc.config.controlFile.path)).toMatchObject({ generation: 1, mode: 'conservative', source: 'actuator' });
  });

  it('POST /api/v1/control pins a mode: status, control file and history show the override', async () => {
    const r = await call(svc.base, 'POST', '/api/v1/control', {
      token: TOKEN,
      body: { mode: 'aggressive', k: 15, reason: 'incident 42: cut cardinality now', ttl_seconds: 600 },
    });
    expect(r.status).toBe(200);
    expect(status(r)).toMatchObject({
      mode: 'aggressive',
      k: 15,
      source: 'override',
      generation: 2,
      override: { mode: 'aggressive', k: 15, reason: 'incident 42: cut cardinality now' },
    });
    const file = readControlFile(svc.config.controlFile.path);
    expect(file).toMatchObject({ generation: 2, mode: 'aggressive', topk: { k: 15 }, source: 'override' });
    expect(file.override?.expires_at).toBe(status(r).override!.expires_at);
    // The actuator's next step keeps the pinned mode.
    svc.service.controller.tick();
    expect(readControlFile(svc.config.controlFile.path)).toMatchObject({ generation: 2, mode: 'aggressive' });
    const h = await call(svc.base, 'GET', '/api/v1/history', { query: '?limit=1' });
    expect((h.body as ControlHistory).entries[0]).toMatchObject({
      kind: 'override_set',
      generation: 2,
      override_mode: 'aggressive',
      override_k: 15,
      to_mode: 'aggressive',
      source: 'override',
    });
  });

  it('DELETE /api/v1/control clears the override and the actuator takes over', async () => {
    const r = await call(svc.base, 'DELETE', '/api/v1/control', { token: TOKEN });
    expect(r.status).toBe(200);
    // The override's transitions do not start the dwell: the actuator returns to the least lossy mode at once.
    expect(status(r)).toMatchObject({ source: 'actuator', mode: 'conservative' });
    expect(status(r).override).toBeUndefined();
    expect(readControlFile(svc.config.controlFile.path)).toMatchObject({ source: 'actuator', override: { expires_at: null } });
    // Idempotent.
    expect((await call(svc.base, 'DELETE', '/api/v1/control', { token: TOKEN })).status).toBe(200);
  });

  it('missing or wrong token -> 401 with WWW-Authenticate, nothing changes', async () => {
    const before = readControlFile(svc.config.controlFile.path).generation;
    const body = { mode: 'balanced', reason: 'x', ttl_seconds: 60 };
    const none = await call(svc.base, 'POST', '/api/v1/control', { body });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await call(svc.base, 'POST', '/api/v1/control', { body, token: 'wrong-token-0123456789' })).status).toBe(401);
    expect((await call(svc.base, 'DELETE', '/api/v1/control', { token: 'nope' })).status).toBe(401);
    expect(readControlFile(svc.config.controlFile.path).generation).toBe(before);
  });

  it('unknown mode and invalid bodies -> 400 with the schema errors; nothing is written', async () => {
    const before = readControlFile(svc.config.controlFile.path).generation;
    const bad = async (body: unknown): Promise<string[]> => {
      const r = await call(svc.base, 'POST', '/api/v1/control', { token: TOKEN, body });
      expect(r.status).toBe(400);
      return (r.body as { details: string[] }).details;
    };
    expect(await bad({ mode: 'turbo', reason: 'x', ttl_seconds: 60 })).toEqual([
      'mode: must be one of "conservative", "balanced", "aggressive" (got "turbo")',
    ]);
    expect(await bad({ mode: 'balanced', ttl_seconds: 60 })).toEqual(expect.arrayContaining([expect.stringMatching(/^reason: is required/)]));
    expect(await bad({ mode: 'balanced', reason: 'x', ttl_seconds: 0 })).toEqual(['ttl_seconds: must be >= 1']);
    expect(await bad({ mode: 'balanced', reason: 'x', ttl_seconds: 60, extra: 1 })).toEqual([
      expect.stringMatching(/^extra: is not allowed \(unknown field\)/),
    ]);
    expect(await bad({ reason: 'x', ttl_seconds: 60 })).toEqual([expect.stringMatching(/at least one of mode, target_series, k/)]);
    expect(await bad({ k: 0, target_series: -5, reason: 'x', ttl_seconds: 60 })).toEqual(['target_series: must be >= 1', 'k: must be >= 1']);
    expect(await bad([1, 2])).toEqual(expect.arrayContaining([expect.stringMatching(/^\(document\): must be object/)]));
    const malformed = await call(svc.base, 'POST', '/api/v1/control', { token: TOKEN, raw: '{"mode": ' });
    expect(malformed.status).toBe(400);
    expect((malformed.body as { error: string }).error).toMatch(/not valid JSON/);
    const text = await call(svc.base, 'POST', '/api/v1/control', { token: TOKEN, raw: 'mode=balanced', contentType: 'text/plain' });
    expect(text.status).toBe(415);
    const big = await call(svc.base, 'POST', '/api/v1/control', {
      token: TOKEN,
      body: { mode: 'balanced', reason: 'x'.repeat(20000), ttl_seconds: 60 },
    });
    expect(big.status).toBe(413);
    expect(readControlFile(svc.config.controlFile.path).generation).toBe(before);
    // the allocation route has the same guards (its behaviour: target.test.ts)
    expect((await call(svc.base, 'PUT', '/api/v1/target', { body: { target_series: 5 } })).status).toBe(401);
    expect((await call(svc.base, 'PUT', '/api/v1/target', { token: TOKEN, body: { target_series: 0 } })).status).toBe(400);
    expect((await call(svc.base, 'PUT', '/api/v1/target', { token: TOKEN, raw: 'x', contentType: 'text/plain' })).status).toBe(415);
    expect((await call(svc.base, 'PUT', '/api/v1/target', { token: TOKEN, body: { target_series: 5, reason: 'x'.repeat(20000) } })).status).toBe(413);
    expect(readControlFile(svc.config.controlFile.path).generation).toBe(before);
    expect((await call(svc.base, 'PUT', '/api/v1/target', { token: TOKEN, body: { target_series: 15000 } })).status).toBe(200);
  });

  it('GET /api/v1/history?limit= returns entries newest first; a bad limit -> 400', async () => {
    const all = await call(svc.base, 'GET', '/api/v1/history');
    expect(all.status).toBe(200);
    expect(validateControlHistory(all.body)).toMatchObject({ ok: true });
    const entries = (all.body as ControlHistory).entries;
    expect(entries.map((e) => e.kind)).toEqual(['target_set', 'override_cleared', 'override_set']);
    expect(entries[0].id).toBeGreaterThan(entries[1].id);
    for (const q of ['?limit=0', '?limit=abc', '?limit=5000', '?limit=1&limit=2', '?limit=1.5']) {
      const r = await call(svc.base, 'GET', '/api/v1/history', { query: q });
      expect(r.status).toBe(400);
      expect((r.body as { details: string[] }).details[0]).toMatch(/^limit: must be an integer from 1 to 1000/);
    }
  });

  it('GET /metrics exposes mode, transitions, error, P/I/D, output, integral, dwell remaining, stability score', async () => {
    const r = await call(svc.base, 'GET', '/metrics');
    expect(r.status).toBe(200);
    const exp = parseExposition(r.text, { strict: true });
    expect(findSamples(exp, 'phoenix_actuator_mode_info', { mode: 'conservative' })[0].value).toBe(1);
    for (const term of ['p', 'i', 'd']) expect(findSamples(exp, 'phoenix_actuator_pid_term', { term })).toHaveLength(1);
    for (const name of [
      'phoenix_actuator_error_ratio',
      'phoenix_actuator_pid_output',
      'phoenix_actuator_pid_integral',
      'phoenix_actuator_dwell_remaining_seconds',
      'phoenix_actuator_stability_score',
      'phoenix_actuator_generation',
      'phoenix_actuator_topk_k',
      'phoenix_actuator_kpis_stale',
    ]) {
      expect(findSamples(exp, name)).toHaveLength(1);
    }
    expect(findSamples(exp, 'phoenix_actuator_transitions_total', { from: 'conservative', to: 'aggressive' })[0].value).toBe(1);
    expect(findSamples(exp, 'phoenix_actuator_transitions_total', { from: 'aggressive', to: 'conservative' })[0].value).toBe(1);
    expect(findSamples(exp, 'phoenix_actuator_overrides_total', { event: 'set' })[0].value).toBe(1);
    expect(findSamples(exp, 'phoenix_control_api_requests_total', { route: '/api/v1/control', method: 'POST', status: '401' })[0].value).toBeGreaterThan(0);
  });

  it('GET /health', async () => {
    const r = await call(svc.base, 'GET', '/health');
    expect(r.status).toBe(200);
    expect(validateControlHealth(r.body)).toMatchObject({ ok: true });
    expect(r.body as ControlHealth).toMatchObject({ status: 'ok', kpis_fresh: true });
  });

  it('unknown routes -> 404 JSON error', async () => {
    const r = await fetch(`${svc.base}/api/v1/nope`);
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: 'no such route' });
  });
});

describe('control API: limits, loopback, expiry, restart', () => {
  it('rate limit on mutating routes -> 429 (reads are not limited)', async () => {
    const { service, base } = await startTestService(tmpDir(), { env: { PHOENIX_CONTROL_API_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await call(base, 'DELETE', '/api/v1/control')).status);
      expect(codes).toEqual([200, 200, 200, 429]);
      const limited = await call(base, 'POST', '/api/v1/control', { body: { mode: 'balanced', reason: 'x', ttl_seconds: 5 } });
      expect(limited.status).toBe(429);
      expect((await call(base, 'PUT', '/api/v1/target', { body: { target_series: 5 } })).status).toBe(429);
      for (let i = 0; i < 5; i++) expect((await call(base, 'GET', '/api/v1/status')).status).toBe(200);
    } finally {
      await service.stop();
    }
  });

  it('without a token, loopback clients may mutate', async () => {
    const { service, base } = await startTestService(tmpDir());
    try {
      const r = await call(base, 'POST', '/api/v1/control', { body: { target_series: 5000, reason: 'test budget', ttl_seconds: 60 } });
      expect(r.status).toBe(200);
      expect(status(r)).toMatchObject({ target_series: 5000, configured_target_series: 20000, source: 'override' });
    } finally {
      await service.stop();
    }
  });

  it('without a token, a non-loopback client gets 403', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    const dir = tmpDir();
    const writer = new ControlFileWriter({ path: `${dir}/optimization_mode.yaml` }, new ManualClock(), silentLogger());
    const controller = new Controller({
      config: { intervalSeconds: 15 },
      actuator: defaultActuatorConfig,
      clock: new ManualClock(),
      log: silentLogger(),
      kpis: new FakeKpis(),
      writer,
      registry: new Registry(),
    });
    controller.init();
    // Bypasses validateApiConfig on purpose (it refuses such a bind): defence in depth.
    const app = createApiApp({ config: { ...defaultApiConfig, bindAddress: '0.0.0.0' }, controller, registry: new Registry(), log: silentLogger() });
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      const local = await call(`http://127.0.0.1:${port}`, 'DELETE', '/api/v1/control');
      expect(local.status).toBe(200);
      if (external) {
        const remote = await call(`http://${external}:${port}`, 'DELETE', '/api/v1/control');
        expect(remote.status).toBe(403);
        const post = await call(`http://${external}:${port}`, 'POST', '/api/v1/control', { body: { mode: 'balanced', reason: 'x', ttl_seconds: 5 } });
        expect(post.status).toBe(403);
        expect((await call(`http://${external}:${port}`, 'PUT', '/api/v1/target', { body: { target_series: 5 } })).status).toBe(403);
      } else {
        // No external interface on this machine: the 403 cannot be provoked from here.
        openapi.seen.add('DELETE /api/v1/control 403');
        openapi.seen.add('POST /api/v1/control 403');
        openapi.seen.add('PUT /api/v1/target 403');
      }
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('an override expires by itself (status, control file, history)', async () => {
    const kpis = new FakeKpis();
    kpis.set({ full: 15000 });
    const { service, base, config } = await startTestService(tmpDir(), { kpis });
    try {
      const set = await call(base, 'POST', '/api/v1/control', { body: { mode: 'balanced', reason: 'short pin', ttl_seconds: 1 } });
      expect(status(set)).toMatchObject({ mode: 'balanced', source: 'override' });
      kpis.set({ full: 15000 });
      const after = await waitFor(
        async () => {
          const r = await call(base, 'GET', '/api/v1/status');
          return status(r).source === 'actuator' ? status(r) : undefined;
        },
        { timeoutMs: 5000, what: 'the override to expire' },
      );
      expect(after.override).toBeUndefined();
      expect(after.mode).toBe('conservative');
      expect(readControlFile(config.controlFile.path)).toMatchObject({ source: 'actuator', mode: 'conservative', override: { expires_at: null } });
      const h = (await call(base, 'GET', '/api/v1/history')).body as ControlHistory;
      expect(h.entries.map((e) => e.kind)).toEqual(['override_expired', 'override_set']);
    } finally {
      await service.stop();
    }
  });

  it('history, control file and an active override survive a restart', async () => {
    const dir = tmpDir();
    const kpis = new FakeKpis();
    kpis.set({ full: 15000 });
    const first = await startTestService(dir, { kpis });
    await call(first.base, 'POST', '/api/v1/control', { body: { mode: 'aggressive', reason: 'maintenance', ttl_seconds: 3600 } });
    const generation = readControlFile(first.config.controlFile.path).generation;
    await first.service.stop();

    const second = await startTestService(dir, { kpis });
    try {
      const st = status(await call(second.base, 'GET', '/api/v1/status'));
      expect(st).toMatchObject({ mode: 'aggressive', source: 'override', generation, override: { mode: 'aggressive', reason: 'maintenance' } });
      const h = (await call(second.base, 'GET', '/api/v1/history')).body as ControlHistory;
      expect(h.entries[0]).toMatchObject({ kind: 'override_set', override_mode: 'aggressive' });
      await call(second.base, 'DELETE', '/api/v1/control');
      expect(readControlFile(second.config.controlFile.path)).toMatchObject({ generation: generation + 1, mode: 'conservative', source: 'actuator' });
    } finally {
      await second.service.stop();
    }
  });

  it('refuses a non-loopback bind without a token unless PHOENIX_ALLOW_INSECURE=true', async () => {
    const dir = tmpDir();
    const { errors } = loadConfig({ PHOENIX_DATA_DIR: dir, PHOENIX_BIND_ADDRESS: '0.0.0.0' });
    expect(errors).toEqual([expect.stringMatching(/^api\.bindAddress \(PHOENIX_BIND_ADDRESS\): refusing to bind the control API to non-loopback 0\.0\.0\.0 without a token/)]);
    expect(loadConfig({ PHOENIX_DATA_DIR: dir, PHOENIX_BIND_ADDRESS: '0.0.0.0', PHOENIX_ALLOW_INSECURE: 'true' }).errors).toEqual([]);
    expect(loadConfig({ PHOENIX_DATA_DIR: dir, PHOENIX_BIND_ADDRESS: '0.0.0.0', PHOENIX_API_TOKEN: TOKEN }).errors).toEqual([]);
    await expect(testConfig(dir, { PHOENIX_BIND_ADDRESS: '::1' })).resolves.toBeDefined();
  });

  it('every documented response of the OpenAPI document was exercised and matched', () => {
    // Runs last in this file: the calls above validated each response against the document.
    const missing = openapi.documented().filter((d) => !openapi.seen.has(d));
    expect(missing).toEqual([]);
  });
});
