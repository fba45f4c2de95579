import { contractSchemas } from '@phoenix/contracts';
import { loadOperations, type Operation } from '../src/routes/openapi';
import type { ApiService } from '../src/service';
import { agentHeaders, call, checkResponse, heartbeat, startApi } from './helpers/apiHarness';
import { eachBackend } from './helpers/dbHarness';

type Json = Record<string, unknown>;

/** A valid body of every operation that takes one (the cases below break it one way at a time). */
const VALID: Record<string, Json> = {
  agentHeartbeat: heartbeat(),
  agentTaskStatus: { attempt: 1, status: 'running' },
  agentMetrics: { samples: [{ seq: 1, observed_at: '2026-01-01T00:00:00.000Z', series: { full_fidelity: 10 } }] },
  agentLogs: { lines: [{ seq: 1, ts: '2026-01-01T00:00:00.000Z', source: 'agent', level: 'info', msg: 'x' }] },
  drainAgent: { drained: false },
  pinAgent: { target_series: 100 },
  createTask: { type: 'restart_core', config: {} },
  setFleetBudget: { target_series: 1000 },
  createKey: { host_id: 'bb-host' },
};

const HOST = 'bb-host';

function concretePath(op: Operation): string {
  return op.path.replace('{host_id}', HOST).replace('{id}', 'no-such-task');
}

function headersOf(op: Operation): Record<string, string> {
  return op.role === 'agent' ? agentHeaders(HOST) : {};
}

/** The schema of an operation's body, by the validator's $id. */
function schemaOf(op: Operation): Json {
  const id = op.body?.schemaId;
  const s = Object.values(contractSchemas).find((x) => x.$id === id);
  if (!s) throw new Error(`no schema for ${op.id}`);
  return s;
}

/** A value of the wrong JSON type for a property schema. */
function wrongValue(prop: Json): unknown {
  const types = ([] as unknown[]).concat(prop.type ?? (prop.$ref || prop.anyOf ? 'object-ish' : 'any'));
  if (types.includes('string') || types.includes('object-ish')) return 12345;
  if (types.includes('number') || types.includes('integer') || types.includes('boolean')) return 'not-a-number';
  if (types.includes('array') || types.includes('object')) return 'not-a-container';
  return undefined;
}

/** The broken bodies of an operation: [case, body]. */
function badBodies(op: Operation): Array<[string, unknown]> {
  const schema = schemaOf(op);
  const valid = VALID[op.id];
  const cases: Array<[string, unknown]> = [
    ['an array instead of an object', []],
    ['an unknown field', { ...valid, no_such_field: true }],
  ];
  for (const req of (schema.required as string[] | undefined) ?? []) {
    const b: Json = { ...valid };
    delete b[req];
    cases.push([`without ${req}`, b]);
  }
  for (const [name, prop] of Object.entries((schema.properties as Record<string, Json>) ?? {})) {
    const v = wrongValue(prop);
    if (v !== undefined) cases.push([`${name} of the wrong type`, { ...valid, [name]: v }]);
  }
  return cases;
}

const operations = loadOperations();
const withBody = operations.filter((o) => o.body);

describe('the cases are generated from the OpenAPI document and the schemas', () => {
  it('every operation with a body has a valid example, and it validates', () => {
    expect(withBody.map((o) => o.id).sort()).toEqual(Object.keys(VALID).sort());
    for (const op of withBody) expect({ op: op.id, result: op.body!(VALID[op.id]) }).toEqual({ op: op.id, result: { ok: true, value: VALID[op.id] } });
  });
});

eachBackend((h) => {
  let s: ApiService & { url: string };
  beforeAll(async () => {
    s = await startApi(h());
    expect((await call(`${s.url}/api/v1/agent/heartbeat`, 'POST', heartbeat(), agentHeaders(HOST))).status).toBe(200);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it.each(withBody.map((o) => [o.id, o] as const))('%s: every broken body → 400 with exactly the schema errors', async (_id, op) => {
    for (const [what, body] of badBodies(op)) {
      const expected = op.body!(body);
      expect({ what, ok: expected.ok }).toEqual({ what, ok: false });
      const a = await call(`${s.url}${concretePath(op)}`, op.method.toUpperCase(), body, headersOf(op));
      expect({ what, status: a.status, body: a.body }).toEqual({ what, status: 400, body: { error: 'invalid body', details: expected.ok ? [] : expected.errors } });
      expect(checkResponse(op.method.toUpperCase(), concretePath(op), a)).toEqual([]);
    }
  });

  it.each(withBody.map((o) => [o.id, o] as const))('%s: not JSON → 415, malformed JSON → 400, too large → 413', async (_id, op) => {
    const url = `${s.url}${concretePath(op)}`;
    const m = op.method.toUpperCase();
    const text = await call(url, m, 'hello', { ...headersOf(op), 'content-type': 'text/plain' });
    expect({ status: text.status, body: text.body }).toEqual({ status: 415, body: { error: 'the body must be application/json' } });
    const broken = await call(url, m, '{"a":', headersOf(op));
    expect(broken.status).toBe(400);
    expect((broken.body as { error: string }).error).toBe('the body is not valid JSON');
    const huge = await call(url, m, JSON.stringify({ pad: 'x'.repeat(4 * 1024 * 1024 + 10) }), headersOf(op));
    expect(huge).toMatchObject({ status: 413, body: { error: 'the body is larger than 4194304 bytes' } });
  });

  it('bad query and path parameters → 400 naming the parameter', async () => {
    const cases: Array<[string, Record<string, string>, string[]]> = [
      ['/api/v1/agent/tasks?wait=61', agentHeaders(HOST), ['query.wait: must be <= 60']],
      ['/api/v1/agent/tasks?wait=soon', agentHeaders(HOST), ['query.wait: must be number']],
      ['/api/v1/agent/tasks?max=0', agentHeaders(HOST), ['query.max: must be >= 1']],
      ['/api/v1/agent/tasks?max=2.5', agentHeaders(HOST), ['query.max: must be integer']],
      ['/api/v1/agents?status=zombie', {}, ['query.status: must be one of "healthy", "stale", "lost" (got "zombie")']],
      ['/api/v1/tasks?limit=1001', {}, ['query.limit: must be <= 1000']],
      ['/api/v1/tasks?status=done', {}, ['query.status: must be one of "pending", "claimed", "running", "succeeded", "failed", "cancelled" (got "done")']],
      ['/api/v1/agents/bb-host/logs?limit=0', {}, ['query.limit: must be >= 1']],
      ['/api/v1/agents/-x', {}, ['path.host_id: must match pattern "^[A-Za-z0-9][A-Za-z0-9._:-]*$"']],
    ];
    for (const [path, headers, details] of cases) {
      const a = await call(`${s.url}${path}`, 'GET', undefined, headers);
      expect({ path, status: a.status, body: a.body }).toEqual({ path, status: 400, body: { error: 'invalid parameters', details } });
    }
  });
});
