import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentHeartbeat } from '@phoenix/contracts';
import { ManualClock } from '@phoenix/runtime';
import { FakeApi, FAKE_ENROLLMENT_KEY } from '../../test/fakeApi';
import { MetricsRegistry } from '../telemetry/metrics';
import { ApiCallError, ApiClient } from './client';
import { defaultApiClientConfig } from './config';

const HOST_KEY = 'phx_aaaaaaaaaaaa_bound-to-host-a-only';

const heartbeat: AgentHeartbeat = {
  hostname: 'host-a',
  agent_version: '0.1.0',
  capabilities: ['set_control'],
  resource_usage: { agent: { rss_bytes: 1, cpu_seconds_total: 0.5 } },
  active_tasks: [],
  active_pipelines: [],
  started_at: '2026-01-01T00:00:00.000Z',
};

function client(url: string, key = FAKE_ENROLLMENT_KEY, hostId = 'host-a') {
  const registry = new MetricsRegistry();
  return { c: new ApiClient({ ...defaultApiClientConfig, url, key, hostId, requestTimeoutSeconds: 2 }, new ManualClock(Date.UTC(2026, 0, 1)), registry), registry };
}

async function failure(p: Promise<unknown>): Promise<ApiCallError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiCallError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('ApiClient against a server speaking the contract', () => {
  let api: FakeApi;
  beforeEach(async () => {
    api = new FakeApi({ keys: { [FAKE_ENROLLMENT_KEY]: '*', [HOST_KEY]: 'host-a' }, heartbeatIntervalSeconds: 7 });
    await api.start();
  });
  afterEach(() => api.stop());

  test('heartbeat: sent with the key and the host id, the answer checked; the first one registers', async () => {
    const { c, registry } = client(api.url);
    const first = await c.heartbeat(heartbeat);
    expect(first).toMatchObject({ host_id: 'host-a', registered: true, heartbeat_interval_seconds: 7, poll_timeout_seconds: 30, drained: false });
    expect((await c.heartbeat(heartbeat)).registered).toBe(false);
    expect(await api.heartbeats('host-a')).toEqual([heartbeat, heartbeat]);
    expect(c.state).toMatchObject({ reachable: true, lastOkAt: Date.UTC(2026, 0, 1), authFailure: undefined });
    expect(registry.render()).toContain('phoenix_agent_api_requests_total{operation="heartbeat",outcome="ok"} 2');
  });

  test('401 for an unknown key, 403 for a key bound to another host: auth failures, recorded until a call passes', async () => {
    const wrong = await failure(client(api.url, 'phx_bbbbbbbbbbbb_not-a-key-of-this-api').c.heartbeat(heartbeat));
    expect(wrong.failure).toEqual({ kind: 'auth', status: 401, message: 'unknown, wrong or revoked agent key' });
    const { c } = client(api.url, HOST_KEY, 'host-b');
    const foreign = await failure(c.heartbeat(heartbeat));
    expect(foreign.failure).toEqual({ kind: 'auth', status: 403, message: 'this key is bound to another host id' });
    expect(c.state.authFailure).toEqual({ status: 403, message: 'this key is bound to another host id', since: Date.UTC(2026, 0, 1) });
    expect(c.state.reachable).toBe(true);
  });

  test('a body that breaks the contract is not sent (the agent would be at fault)', async () => {
    const { c } = client(api.url);
    const bad = await failure(c.heartbeat({ ...heartbeat, hostname: '' }));
    expect(bad.failure).toEqual({ kind: 'rejected', status: 0, message: 'not sent: the heartbeat body breaks the contract', details: ['hostname: must NOT have fewer than 1 characters'] });
    expect(await api.heartbeats('host-a')).toEqual([]);
  });

  test('the long poll answers when a task is queued; a stale attempt is 409 (rejected), a task of another host 403', async () => {
    const { c } = client(api.url);
    const polling = c.pollTasks({ waitSeconds: 30, max: 5 });
    const id = await api.enqueue('host-a', 'collect_diagnostics', {});
    const [task] = await polling;
    expect(task).toMatchObject({ id, host_id: 'host-a', type: 'collect_diagnostics', status: 'claimed', attempts: 1 });
    expect((await c.reportStatus(id, { attempt: 1, status: 'running' })).status).toBe('running');
    const stale = await failure(c.reportStatus(id, { attempt: 2, status: 'succeeded', result: {} }));
    expect(stale.failure).toEqual({ kind: 'rejected', status: 409, message: 'attempt 2 is not the current one (1)', details: [] });
    const other = await api.enqueue('host-b', 'collect_diagnostics', {});
    const foreign = await failure(c.reportStatus(other, { attempt: 1, status: 'running' }));
    expect(foreign.failure).toMatchObject({ kind: 'auth', status: 403 });
  });

  test('an empty poll after the wait; metrics batch counts duplicates', async () => {
    const { c } = client(api.url);
    expect(await c.pollTasks({ waitSeconds: 0, max: 1 })).toEqual([]);
    const sample = { seq: 5, observed_at: '2026-01-01T00:00:00.000Z', series: { full_fidelity: 10 } };
    expect(await c.sendMetrics({ samples: [sample] })).toEqual({ accepted: 1, duplicates: 0, last_seq: 5 });
    expect(await c.sendMetrics({ samples: [sample] })).toEqual({ accepted: 0, duplicates: 1, last_seq: 5 });
  });

  test('503 with Retry-After and a refused connection are unavailable (retryable)', async () => {
    const { c } = client(api.url);
    api.unavailable.add('heartbeat');
    const busy = await failure(c.heartbeat(heartbeat));
    expect(busy.failure).toEqual({ kind: 'unavailable', status: 503, message: 'database unavailable', retryAfterMs: 1000 });
    await api.down();
    // the first call may still go out on the kept-alive socket the server just closed
    await failure(c.heartbeat(heartbeat));
    const down = await failure(c.heartbeat(heartbeat));
    expect(down.failure.kind).toBe('unavailable');
    expect(down.failure.message).toMatch(/^ECONNREFUSED: http:\/\/127\.0\.0\.1:\d+\/api\/v1\/agent\/heartbeat: connect ECONNREFUSED/);
    expect(c.state.reachable).toBe(false);
  });
});

describe('ApiClient against a server that breaks the contract', () => {
  test('an answer that fails the schema is not believed: unavailable, with the schema errors', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ tasks: [{ id: 7 }] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { c } = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const err = await failure(c.pollTasks({ waitSeconds: 0, max: 1 }));
      expect(err.failure.kind).toBe('unavailable');
      expect(err.failure.message).toBe(
        'the answer breaks the contract (https://phoenix.dev/contracts/agent_task_list.schema.json): tasks[0].host_id: is required; tasks[0].type: is required; tasks[0].config: is required; tasks[0].priority: is required; tasks[0].status: is required',
      );
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
