/** set_control through phoenix-control: against a contract-checked stand-in (PUT /api/v1/target is new) and the real service. */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import targetSchema from '../../../../contracts/schemas/control_target_request.schema.json';
import { createValidator, validateControlOverrideRequest, validateControlStatus, type ContractValidator } from '@phoenix/contracts';
import { ManualClock, memoryLogger, systemClock, freePorts } from '@phoenix/runtime';
import { spawnService, type SpawnedService } from '@phoenix/testkit';
import { ControlApplier } from './applier';
import type { ControlConfig } from './config';

const validateTarget = createValidator<unknown>(targetSchema as Record<string, unknown>);
const TOKEN = 'control-token-0123456789';
const CONTROL_MAIN = path.resolve(__dirname, '../../../phoenix-control/dist/main.js');

interface Call {
  method: string;
  path: string;
  auth: string | undefined;
  body: unknown;
}

/** phoenix-control's routes the agent uses, checking each body against its schema. */
async function standIn(o: { targetRoute?: boolean } = {}) {
  const calls: Call[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body: unknown = raw ? JSON.parse(raw) : undefined;
      calls.push({ method: req.method ?? '', path: req.url ?? '', auth: req.headers.authorization, body });
      const check = (v: ContractValidator<unknown>): boolean => {
        const r = v(body);
        if (r.ok) return true;
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid body', details: r.errors }));
        return false;
      };
      if (req.method === 'GET' && req.url === '/health') res.writeHead(200).end('{"status":"ok"}');
      else if (req.method === 'PUT' && req.url === '/api/v1/target' && o.targetRoute !== false) {
        if (check(validateTarget)) res.writeHead(200).end('{}');
      } else if (req.method === 'POST' && req.url === '/api/v1/control') {
        if (check(validateControlOverrideRequest as ContractValidator<unknown>)) res.writeHead(200).end('{}');
      } else res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function applierFor(url: string | undefined, dir: string, o: { explicit?: boolean; managed?: boolean } = {}) {
  const cfg: ControlConfig = { manage: false, url, urlExplicit: o.explicit ?? false, token: TOKEN, main: '', file: path.join(dir, 'mode.yaml'), defaultTargetSeries: 20000, requestTimeoutSeconds: 2 };
  const a = new ControlApplier({ cfg, controlUrl: () => url, controlManaged: () => o.managed ?? false, stateFile: path.join(dir, 'state.json'), clock: new ManualClock(Date.UTC(2026, 0, 1)), log: memoryLogger() });
  a.start();
  return a;
}

describe('ControlApplier through phoenix-control (stand-in)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-agent-ctl-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the allocation with PUT /api/v1/target, the explicit mode/k with the override and its TTL, with the token', async () => {
    const ctl = await standIn();
    try {
      const r = await applierFor(ctl.url, dir).apply({ target_series: 4000, max_mode: 'balanced', mode: 'aggressive', topk_k: 9, ttl_seconds: 120, source: 'operator', reason: 'load test' });
      expect(r).toEqual({
        status: 'succeeded',
        result: {
          via: 'phoenix-control',
          url: ctl.url,
          target: { target_series: 4000, max_mode: 'balanced', source: 'operator', reason: 'load test' },
          override: { mode: 'aggressive', k: 9, reason: 'load test', ttl_seconds: 120 },
        },
      });
      expect(ctl.calls.map((c) => [c.method, c.path, c.auth])).toEqual([
        ['GET', '/health', undefined],
        ['PUT', '/api/v1/target', `Bearer ${TOKEN}`],
        ['POST', '/api/v1/control', `Bearer ${TOKEN}`],
      ]);
      expect(fs.existsSync(path.join(dir, 'mode.yaml'))).toBe(false);
    } finally {
      await ctl.stop();
    }
  });

  test('a profile cannot go through phoenix-control; a control without the target route fails non-retryably', async () => {
    const ctl = await standIn({ targetRoute: false });
    try {
      const a = applierFor(ctl.url, dir);
      expect(await a.apply({ profile: 'aggressive' })).toEqual({
        status: 'failed',
        error: "set_control.profile: phoenix-control's override cannot pin a profile (its actuator picks it); send mode and/or topk_k",
        retryable: false,
      });
      expect(await a.apply({ target_series: 10 })).toEqual({
        status: 'failed',
        error: `PUT ${ctl.url}/api/v1/target: 404 — this phoenix-control has no such route (update phoenix-control)`,
        retryable: false,
      });
    } finally {
      await ctl.stop();
    }
  });

  test('a phoenix-control that does not answer: retryable when it was named (or is managed), else the file is written', async () => {
    const [port] = await freePorts(1);
    const url = `http://127.0.0.1:${port}`;
    expect(await applierFor(url, dir, { explicit: true }).apply({ target_series: 10 })).toEqual({ status: 'failed', error: `phoenix-control at ${url} does not answer; set_control waits for it`, retryable: true });
    expect(await applierFor(url, dir, { managed: true }).apply({ target_series: 10 })).toMatchObject({ status: 'failed', retryable: true });
    expect(await applierFor(url, dir).apply({ target_series: 10 })).toMatchObject({ status: 'succeeded', result: { via: 'control_file', target_series: 10, generation: 1 } });
  });
});

describe('ControlApplier through the real phoenix-control (dist/main.js)', () => {
  let dir: string;
  let control: SpawnedService;
  let url: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-agent-realctl-'));
    const [api, observer, core] = await freePorts(3);
    url = `http://127.0.0.1:${api}`;
    control = await spawnService(
      CONTROL_MAIN,
      {
        PHOENIX_CONTROL_API_PORT: String(api),
        PHOENIX_OBSERVER_PORT: String(observer),
        PHOENIX_CORE_URL: `http://127.0.0.1:${core}`,
        PHOENIX_DATA_DIR: dir,
        PHOENIX_API_TOKEN: TOKEN,
        PHOENIX_TARGET_SERIES: '20000',
        PHOENIX_LOG_LEVEL: 'warn',
      },
      { healthUrl: `${url}/health` },
    );
  });
  afterAll(async () => {
    await control?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('an explicit mode and k become phoenix-control override, visible in its status', async () => {
    const a = new ControlApplier({
      cfg: { manage: false, url, urlExplicit: true, token: TOKEN, main: '', file: path.join(dir, 'unused.yaml'), defaultTargetSeries: 20000, requestTimeoutSeconds: 5 },
      controlUrl: () => url,
      controlManaged: () => false,
      stateFile: path.join(dir, 'agent-state.json'),
      clock: systemClock,
      log: memoryLogger(),
    });
    const r = await a.apply({ mode: 'aggressive', topk_k: 11, ttl_seconds: 300, reason: 'agent test' });
    expect(r).toMatchObject({ status: 'succeeded', result: { via: 'phoenix-control', override: { mode: 'aggressive', k: 11, ttl_seconds: 300, reason: 'agent test' } } });
    const status = validateControlStatus(await (await fetch(`${url}/api/v1/status`)).json());
    if (!status.ok) throw new Error(status.errors.join('; '));
    expect([status.value.mode, status.value.k, status.value.source]).toEqual(['aggressive', 11, 'override']);
    expect(status.value.override).toMatchObject({ mode: 'aggressive', k: 11, reason: 'agent test' });
    const o = status.value.override!;
    expect(Date.parse(o.expires_at) - Date.parse(o.set_at)).toBe(300_000);
  });

  test('the allocation: PUT /api/v1/target (until phoenix-control has the route, a non-retryable 404 naming it)', async () => {
    const a = applierFor(url, dir, { explicit: true });
    const r = await a.apply({ max_mode: 'balanced' });
    const has = await fetch(`${url}/api/v1/target`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: '{"target_series":20000}' });
    if (has.status === 404) {
      expect(r).toEqual({ status: 'failed', error: `PUT ${url}/api/v1/target: 404 — this phoenix-control has no such route (update phoenix-control)`, retryable: false });
    } else {
      expect(r).toMatchObject({ status: 'succeeded', result: { target: { target_series: 20000, max_mode: 'balanced', source: 'fleet' } } });
    }
  });
});
