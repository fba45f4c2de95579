import { validateControlHistory, validateControlStatus, type ControlHistory, type ControlStatus } from '@phoenix/contracts';
import { FakeKpis, readControlFile, startTestService, tmpDir } from '../../test/helpers';
import { OpenApiValidator } from '../../test/openapi';

const TOKEN = 'test-token-0123456789abcdef';
const openapi = new OpenApiValidator();

async function call(base: string, method: string, route: string, body?: unknown, token: string | null = TOKEN): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const parsed: unknown = await res.json();
  openapi.validate(method, route, res.status, res.headers.get('content-type') ?? '', parsed);
  return { status: res.status, body: parsed };
}

describe('PUT /api/v1/target: the host allocation the PID loop works inside', () => {
  const env = { PHOENIX_API_TOKEN: TOKEN, PHOENIX_CONTROL_API_RATE_LIMIT_PER_MINUTE: '1000', PHOENIX_TARGET_SERIES: '20000' };

  it('sets the target and the most lossy mode, writes them to the control file, and keeps them across a restart', async () => {
    const dir = tmpDir();
    const kpis = new FakeKpis();
    kpis.set({ full: 15000 });
    let { service, base, config } = await startTestService(dir, { kpis, env });
    try {
      expect((service.controller.status().allocation)).toEqual({ target_series: 20000, max_mode: 'aggressive', source: 'config' });
      // 15,000 series fit 20,000: full fidelity. A target of 10,000 needs a reduction.
      expect(readControlFile(config.controlFile.path).mode).toBe('conservative');
      const r = await call(base, 'PUT', '/api/v1/target', { target_series: 10000, max_mode: 'balanced', source: 'fleet', reason: 'fleet allocation' });
      expect(r.status).toBe(200);
      const st = r.body as ControlStatus;
      expect(validateControlStatus(st).ok).toBe(true);
      expect(st.target_series).toBe(10000);
      expect(st.source).toBe('actuator');
      expect(st.allocation).toMatchObject({ target_series: 10000, max_mode: 'balanced', source: 'fleet', reason: 'fleet allocation' });
      expect(st.mode).toBe('balanced');
      const file = readControlFile(config.controlFile.path);
      expect([file.mode, file.target_series, file.source]).toEqual(['balanced', 10000, 'actuator']);
      const hist = (await call(base, 'GET', '/api/v1/history')).body as ControlHistory;
      expect(validateControlHistory(hist).ok).toBe(true);
      expect(hist.entries[0]).toMatchObject({ kind: 'target_set', target_series: 10000, to_mode: 'balanced', source: 'actuator' });
      expect(hist.entries[0].reason).toMatch(/^allocation: target 10000 \(fleet allocation\); /);
    } finally {
      await service.stop();
    }
    ({ service, base, config } = await startTestService(dir, { kpis, env }));
    try {
      expect(service.controller.status()).toMatchObject({ target_series: 10000, allocation: { target_series: 10000, max_mode: 'balanced', source: 'fleet' } });
    } finally {
      await service.stop();
    }
  });

  it('max_mode caps the loop: with balanced allowed only, a budget no profile meets stays balanced (never top-k)', async () => {
    const dir = tmpDir();
    const kpis = new FakeKpis();
    kpis.set({ full: 15000, streams: 50 });
    const { service, base } = await startTestService(dir, { kpis, env: { ...env, PHOENIX_CONTROL_DWELL_SECONDS: '0' } });
    try {
      const capped = (await call(base, 'PUT', '/api/v1/target', { target_series: 1000, max_mode: 'balanced' })).body as ControlStatus;
      expect([capped.mode, capped.profile]).toEqual(['balanced', 'aggressive']);
      const free = (await call(base, 'PUT', '/api/v1/target', { target_series: 1000 })).body as ControlStatus;
      expect(free.mode).toBe('aggressive');
      expect(free.allocation).toMatchObject({ max_mode: 'aggressive', source: 'operator' });
      // an override still wins over the allocation while it holds
      const ov = (await call(base, 'POST', '/api/v1/control', { mode: 'conservative', ttl_seconds: 60, reason: 'incident' })).body as ControlStatus;
      expect([ov.mode, ov.source]).toEqual(['conservative', 'override']);
    } finally {
      await service.stop();
    }
  });

  it('refuses bad bodies with the schema errors, and callers without the token', async () => {
    const dir = tmpDir();
    const { service, base } = await startTestService(dir, { kpis: new FakeKpis(), env });
    try {
      expect(await call(base, 'PUT', '/api/v1/target', { target_series: 0, max_mode: 'wild', extra: 1 })).toEqual({
        status: 400,
        body: {
          error: 'invalid target request',
          details: ['extra: is not allowed (unknown field)', 'target_series: must be >= 1', 'max_mode: must be one of "conservative", "balanced", "aggressive" (got "wild")'],
        },
      });
      expect((await call(base, 'PUT', '/api/v1/target', { target_series: 5 }, null)).status).toBe(401);
      expect(service.controller.status().allocation?.source).toBe('config');
    } finally {
      await service.stop();
    }
  });
});
