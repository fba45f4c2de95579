import type { ApiService } from '../src/service';
import { HANDLERS } from '../src/routes/app';
import { loadOperations } from '../src/routes/openapi';
import { agentHeaders, call, checkResponse, heartbeat, startApi } from './helpers/apiHarness';
import { eachBackend } from './helpers/dbHarness';

const TOKEN = 'machine-token-0123456789abcdef';

describe('routes come from contracts/openapi/api.openapi.yaml', () => {
  it('every operation has a handler and a role; every handler is documented', () => {
    const ops = loadOperations();
    expect(ops.map((o) => o.id).sort()).toEqual(Object.keys(HANDLERS).sort());
    const roles = Object.fromEntries(ops.map((o) => [o.id, o.role]));
    expect(roles).toMatchObject({ agentHeartbeat: 'agent', listAgents: 'viewer', drainAgent: 'operator', createKey: 'admin', setFleetBudget: 'admin', health: 'public' });
  });

  it('the response check catches an answer that breaks the contract', () => {
    expect(checkResponse('GET', '/api/v1/agents/x', { status: 200, body: { host_id: 'x' }, headers: new Headers() }).length).toBeGreaterThan(0);
    expect(checkResponse('GET', '/api/v1/agents/x', { status: 418, body: {}, headers: new Headers() })).toEqual(['(document): status 418 is not documented for GET /api/v1/agents/{host_id}']);
  });
});

eachBackend(
  (h) => {
    let s: ApiService & { url: string };
    beforeAll(async () => {
      s = await startApi(h(), { PHOENIX_API_TOKEN: TOKEN });
    });
    afterAll(async () => {
      await s?.stop();
    });

    it('x-phoenix-role decides the guard: operator/admin need the machine token, viewer and public are open, agent needs an agent key', async () => {
      const noToken = await call(`${s.url}/api/v1/keys`, 'POST', { host_id: 'g1' });
      expect(noToken).toMatchObject({ status: 401, body: { error: 'missing or wrong bearer token (Authorization: Bearer <PHOENIX_API_TOKEN>)' } });
      expect(noToken.headers.get('www-authenticate')).toBe('Bearer realm="phoenix-api"');
      expect((await call(`${s.url}/api/v1/keys`, 'GET')).status).toBe(401);
      expect((await call(`${s.url}/api/v1/keys`, 'POST', { host_id: 'g1' }, { authorization: `Bearer ${TOKEN}` })).status).toBe(201);
      expect((await call(`${s.url}/api/v1/agents`, 'GET')).status).toBe(200);
      expect((await call(`${s.url}/api/v1/fleet`, 'GET')).status).toBe(200);
      expect((await call(`${s.url}/health`, 'GET')).status).toBe(200);
      expect((await call(`${s.url}/api/v1/agent/heartbeat`, 'POST', heartbeat(), { 'x-agent-host-id': 'g1', authorization: `Bearer ${TOKEN}` })).status).toBe(401);
      expect((await call(`${s.url}/api/v1/agent/heartbeat`, 'POST', heartbeat(), agentHeaders('g1'))).status).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
      const rows = (await s.db.query<{ actor: string; status: number }>("SELECT actor, status FROM audit_log WHERE route = 'POST /api/v1/keys' ORDER BY id")).rows;
      expect(rows).toEqual([
        { actor: 'anonymous:127.0.0.1', status: 401 },
        { actor: 'token', status: 201 },
      ]);
    });

    it('an unknown route is a JSON 404', async () => {
      expect(await call(`${s.url}/api/v1/nothing`, 'GET')).toMatchObject({ status: 404, body: { error: 'no such route' } });
    });
  },
  ['pglite'],
);
