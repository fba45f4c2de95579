import type { AgentTask } from '@phoenix/contracts';
import { eachBackend } from './helpers/dbHarness';
import { agentHeaders, call, checkResponse, heartbeat, startApi, AGENT_KEY, type Answer } from './helpers/apiHarness';
import type { ApiService } from '../src/service';

/** Calls and checks the answer against the OpenAPI document. */
async function api(s: { url: string }, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const a = await call(`${s.url}${path}`, method, body, headers);
  expect({ route: `${method} ${path}`, status: a.status, contract: checkResponse(method, path, a) }).toEqual({ route: `${method} ${path}`, status: a.status, contract: [] });
  return a;
}

eachBackend((h) => {
  let s: ApiService & { url: string };
  beforeAll(async () => {
    s = await startApi(h());
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('a first heartbeat registers the host, the next one does not; the agent appears healthy with what it reported', async () => {
    const first = await api(s, 'POST', '/api/v1/agent/heartbeat', heartbeat({ active_pipelines: [{ id: 'cand-1', version: 2 }] }), agentHeaders('web-01.prod:a'));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ host_id: 'web-01.prod:a', registered: true, heartbeat_interval_seconds: 10, poll_timeout_seconds: 30, metrics_interval_seconds: 10, drained: false });
    const second = await api(s, 'POST', '/api/v1/agent/heartbeat', heartbeat({ agent_version: '0.1.1' }), agentHeaders('web-01.prod:a'));
    expect(second.body).toMatchObject({ registered: false });
    const agent = await api(s, 'GET', '/api/v1/agents/web-01.prod:a');
    expect(agent.body).toMatchObject({ host_id: 'web-01.prod:a', agent_version: '0.1.1', status: 'healthy', active_pipelines: [], drained: false, pinned: null, allocation: null, kpis: null });
    const list = await api(s, 'GET', '/api/v1/agents?status=healthy');
    expect((list.body as { counts: unknown }).counts).toEqual({ healthy: 1, stale: 0, lost: 0 });
    expect(await api(s, 'GET', '/api/v1/agents?status=lost')).toMatchObject({ body: { agents: [] } });
  });

  it('wrong, unknown or revoked key → 401 with a challenge; a key of another host → 403; no host id → 401', async () => {
    const wrong = await api(s, 'POST', '/api/v1/agent/heartbeat', heartbeat(), agentHeaders('h1', 'not-the-key-at-all-0000'));
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'unknown or wrong agent key' });
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="phoenix-api agents"');
    expect((await api(s, 'GET', '/api/v1/agent/tasks?wait=0', undefined, { 'x-agent-host-id': 'h1' })).body).toEqual({ error: 'missing agent key (Authorization: Bearer <key>)' });
    expect((await api(s, 'GET', '/api/v1/agent/tasks?wait=0', undefined, { authorization: `Bearer ${AGENT_KEY}` })).body).toEqual({
      error: "missing X-Agent-Host-ID header (the agent's host id)",
    });
    const bad = await api(s, 'GET', '/api/v1/agent/tasks?wait=0', undefined, agentHeaders('-bad host'));
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid X-Agent-Host-ID header' } });

    const issued = await api(s, 'POST', '/api/v1/keys', { host_id: 'h1', description: 'for h1' });
    expect(issued.status).toBe(201);
    const key = (issued.body as { key: string; id: string }).key;
    expect(key).toMatch(/^phx_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect((await api(s, 'POST', '/api/v1/agent/heartbeat', heartbeat(), agentHeaders('h1', key))).status).toBe(200);
    const other = await api(s, 'POST', '/api/v1/agent/heartbeat', heartbeat(), agentHeaders('h2', key));
    expect(other).toMatchObject({ status: 403, body: { error: 'the agent key is bound to another host, not h2' } });
    const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect((await api(s, 'POST', '/api/v1/agent/heartbeat', heartbeat(), agentHeaders('h1', tampered))).status).toBe(401);
    const listed = await api(s, 'GET', '/api/v1/keys');
    // the secret (after phx_<12 hex id>_; base64url, so it may itself hold '_') is never listed
    const secret = key.slice('phx_'.length + 12 + 1);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const id = (issued.body as { id: string }).id;
    const revoked = await api(s, 'DELETE', `/api/v1/keys/${id}`);
    expect(revoked.body).toMatchObject({ id, host_id: 'h1' });
    expect((revoked.body as { revoked_at: string | null }).revoked_at).not.toBeNull();
    const after = await api(s, 'POST', '/api/v1/agent/heartbeat', heartbeat(), agentHeaders('h1', key));
    expect(after).toMatchObject({ status: 401, body: { error: 'the agent key was revoked' } });
    expect((await api(s, 'DELETE', '/api/v1/keys/000000000000')).status).toBe(404);
  });

  it('a long poll waiting 30 s is answered by the task queued meanwhile, long before the wait is over; another host\'s task → 403', async () => {
    await api(s, 'POST', '/api/v1/agent/heartbeat', heartbeat(), agentHeaders('poller'));
    await api(s, 'POST', '/api/v1/agent/heartbeat', heartbeat(), agentHeaders('stranger'));
    const started = Date.now();
    const polling = api(s, 'GET', '/api/v1/agent/tasks?wait=30&max=5', undefined, agentHeaders('poller'));
    await new Promise((r) => setTimeout(r, 300));
    const created = await api(s, 'POST', '/api/v1/agents/poller/tasks', { type: 'restart_core', config: { reason: 'test' } });
    expect(created.status).toBe(201);
    const got = await polling;
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(15_000);
    const tasks = (got.body as { tasks: AgentTask[] }).tasks;
    expect(tasks.map((t) => [t.id, t.type, t.status, t.attempts])).toEqual([[(created.body as AgentTask).id, 'restart_core', 'claimed', 1]]);
    const id = tasks[0].id;
    const foreign = await api(s, 'POST', `/api/v1/agent/tasks/${id}/status`, { attempt: 1, status: 'running' }, agentHeaders('stranger'));
    expect(foreign).toMatchObject({ status: 403, body: { error: `task ${id} is not a task of host stranger` } });
    const running = await api(s, 'POST', `/api/v1/agent/tasks/${id}/status`, { attempt: 1, status: 'running' }, agentHeaders('poller'));
    expect(running.body).toMatchObject({ status: 'running' });
    const done = await api(s, 'POST', `/api/v1/agent/tasks/${id}/status`, { attempt: 1, status: 'succeeded', result: { ok: true } }, agentHeaders('poller'));
    const again = await api(s, 'POST', `/api/v1/agent/tasks/${id}/status`, { attempt: 1, status: 'succeeded', result: { ok: true } }, agentHeaders('poller'));
    expect(again).toEqual({ ...again, status: 200, body: done.body });
    const conflict = await api(s, 'POST', `/api/v1/agent/tasks/${id}/status`, { attempt: 1, status: 'failed', error: 'x' }, agentHeaders('poller'));
    expect(conflict).toMatchObject({ status: 409, body: { error: `task ${id} is already succeeded` } });
    expect((await api(s, 'POST', '/api/v1/agent/tasks/nope/status', { attempt: 1, status: 'running' }, agentHeaders('poller'))).status).toBe(404);
    expect((await api(s, 'GET', `/api/v1/tasks/${id}`)).body).toMatchObject({ status: 'succeeded', result: { ok: true } });
    expect((await api(s, 'GET', '/api/v1/tasks?host_id=poller&status=succeeded&limit=5')).body).toMatchObject({ tasks: [{ id }] });
    const empty = await api(s, 'GET', '/api/v1/agent/tasks?wait=0', undefined, agentHeaders('poller'));
    expect(empty.body).toEqual({ tasks: [] });
  });

  it('KPI batches and log lines: one row per (host, seq), a batch sent twice counts once, logs readable per host', async () => {
    const hdr = agentHeaders('kpi-host');
    await api(s, 'POST', '/api/v1/agent/heartbeat', heartbeat(), hdr);
    const samples = [1, 2, 3].map((seq) => ({ seq, observed_at: new Date(Date.now() - (4 - seq) * 1000).toISOString(), series: { full_fidelity: 1000 * seq, optimized: 500, experimental_topk: 200 }, active_series: 1000 * seq, mode: 'conservative' }));
    expect((await api(s, 'POST', '/api/v1/agent/metrics', { samples }, hdr)).body).toEqual({ accepted: 3, duplicates: 0, last_seq: 3 });
    expect((await api(s, 'POST', '/api/v1/agent/metrics', { samples: samples.slice(1) }, hdr)).body).toEqual({ accepted: 0, duplicates: 2, last_seq: 3 });
    const agent = await api(s, 'GET', '/api/v1/agents/kpi-host');
    expect((agent.body as { kpis: { seq: number } }).kpis.seq).toBe(3);
    const fleet = await api(s, 'GET', '/api/v1/fleet');
    expect(fleet.body).toMatchObject({ budget: { target_series: 100000, source: 'env' }, active_series: 3000, allocation: { feasible: true, planned_active_series: 0 } });
    const lines = [1, 2, 3].map((seq) => ({ seq, ts: new Date().toISOString(), source: seq === 2 ? 'core' : 'agent', level: 'info', msg: `line ${seq}` }));
    expect((await api(s, 'POST', '/api/v1/agent/logs', { lines }, hdr)).body).toEqual({ accepted: 3, duplicates: 0, last_seq: 3 });
    expect((await api(s, 'POST', '/api/v1/agent/logs', { lines: lines.slice(0, 1) }, hdr)).body).toEqual({ accepted: 0, duplicates: 1, last_seq: 3 });
    const read = await api(s, 'GET', '/api/v1/agents/kpi-host/logs?limit=2');
    expect((read.body as { lines: Array<{ msg: string }> }).lines.map((l) => l.msg)).toEqual(['line 2', 'line 3']);
    const core = await api(s, 'GET', '/api/v1/agents/kpi-host/logs?source=core');
    expect((core.body as { lines: Array<{ msg: string }> }).lines.map((l) => l.msg)).toEqual(['line 2']);
    expect((await api(s, 'GET', '/api/v1/agents/nobody/logs')).status).toBe(404);
  });

  it('drain, pin, unpin, forget; a drained host is told so and claims nothing', async () => {
    const hdr = agentHeaders('ops-host');
    await api(s, 'POST', '/api/v1/agent/heartbeat', heartbeat(), hdr);
    const task = await api(s, 'POST', '/api/v1/agents/ops-host/tasks', { type: 'collect_diagnostics', config: { log_lines: 10 } });
    expect((await api(s, 'PUT', '/api/v1/agents/ops-host/drain', { drained: true, reason: 'maintenance' })).body).toMatchObject({ drained: true });
    expect((await api(s, 'POST', '/api/v1/agent/heartbeat', heartbeat(), hdr)).body).toMatchObject({ drained: true });
    expect((await api(s, 'GET', '/api/v1/agent/tasks?wait=0', undefined, hdr)).body).toEqual({ tasks: [] });
    await api(s, 'PUT', '/api/v1/agents/ops-host/drain', { drained: false });
    expect(((await api(s, 'GET', '/api/v1/agent/tasks?wait=0', undefined, hdr)).body as { tasks: unknown[] }).tasks).toHaveLength(1);
    const pinned = await api(s, 'PUT', '/api/v1/agents/ops-host/pin', { target_series: 5000, mode: 'balanced', reason: 'vip' });
    expect((pinned.body as { pinned: unknown }).pinned).toMatchObject({ target_series: 5000, mode: 'balanced', reason: 'vip' });
    expect((await api(s, 'DELETE', '/api/v1/agents/ops-host/pin')).body).toMatchObject({ pinned: null });
    expect((await api(s, 'DELETE', '/api/v1/agents/ops-host/pin')).status).toBe(200);
    expect((await api(s, 'PUT', '/api/v1/agents/nobody/pin', { target_series: 1 })).status).toBe(404);
    expect((await api(s, 'DELETE', '/api/v1/agents/ops-host')).status).toBe(204);
    expect((await api(s, 'GET', `/api/v1/tasks/${(task.body as AgentTask).id}`)).body).toMatchObject({ status: 'failed', error: 'host ops-host was forgotten by an operator' });
    expect((await api(s, 'GET', '/api/v1/agents/ops-host')).status).toBe(404);
    expect((await api(s, 'DELETE', '/api/v1/agents/ops-host')).status).toBe(404);
    expect((await api(s, 'POST', '/api/v1/agents/nobody/tasks', { type: 'restart_core', config: {} })).status).toBe(404);
  });

  it('every mutating operator call is in the audit log: who, route, body digest, result', async () => {
    await api(s, 'PUT', '/api/v1/fleet/budget', { target_series: 50_000, reason: 'q3' });
    await api(s, 'PUT', '/api/v1/agents/nobody/drain', { drained: true });
    await new Promise((r) => setTimeout(r, 200));
    const { rows } = await s.db.query<{ actor: string; route: string; path: string; body_sha256: string | null; status: number; result: string }>(
      'SELECT actor, route, path, body_sha256, status, result FROM audit_log ORDER BY id DESC LIMIT 2',
    );
    expect(rows[0]).toMatchObject({ actor: 'loopback:127.0.0.1', route: 'PUT /api/v1/agents/{host_id}/drain', path: '/api/v1/agents/nobody/drain', status: 404, result: 'host nobody not found' });
    expect(rows[1]).toMatchObject({ actor: 'loopback:127.0.0.1', route: 'PUT /api/v1/fleet/budget', status: 200, result: 'ok' });
    expect(rows[1].body_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await api(s, 'GET', '/api/v1/fleet')).body).toMatchObject({ budget: { target_series: 50_000, source: 'api', updated_by: 'loopback:127.0.0.1' } });
  });

  it('health says ok with the backend; /metrics has the queue, long polls, heartbeats and database', async () => {
    const health = await api(s, 'GET', '/health');
    expect(health.body).toMatchObject({ status: 'ok', database: { backend: h().backend, up: true }, leader: true, version: '0.1.0' });
    const metrics = await call(`${s.url}/metrics`, 'GET');
    for (const name of ['phoenix_api_requests_total', 'phoenix_api_long_poll_waiters', 'phoenix_api_task_dispatch_seconds_bucket', 'phoenix_api_heartbeats_total', 'phoenix_api_db_up 1', 'phoenix_fleet_budget_series']) {
      expect(metrics.body).toContain(name);
    }
  });
});
