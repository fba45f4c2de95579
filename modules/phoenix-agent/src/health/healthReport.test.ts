import { healthReport, type HealthInputs } from './healthReport';

const T = Date.UTC(2026, 0, 1);
const base: HealthInputs = {
  state: 'running',
  hostId: 'h1',
  version: '0.1.0',
  startedAtMs: T,
  nowMs: T + 65_000,
  apiUrl: 'http://api:8084',
  api: { reachable: true, lastOkAt: T + 60_000, lastFailure: undefined, authFailure: undefined },
  lastHeartbeatOkAt: T + 60_000,
  drained: false,
  core: { managed: false, url: 'http://127.0.0.1:8891', healthUrl: 'http://127.0.0.1:13133/health', healthy: true, lastHealthAt: T + 64_000, healthError: undefined, core: undefined, control: undefined },
  coreUp: true,
  control: { via: 'control_file', file: '/data/mode.yaml', lastAppliedAt: T + 1000 },
  outbox: { reports: 0, metrics: 0, logs: 2 },
  runningTasks: [],
  journalEntries: 3,
  pushgateway: undefined,
};

describe('healthReport', () => {
  test('all well: 200 ok, no problems', () => {
    const r = healthReport(base);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', problems: [], host_id: 'h1', uptime_seconds: 65, outbox: { reports: 0, metrics: 0, logs: 2 } });
  });

  test('API down, core crashed and restarting: 200 degraded, the problems spelled out', () => {
    const r = healthReport({
      ...base,
      api: { reachable: false, lastOkAt: T, lastFailure: { kind: 'unavailable', message: 'ECONNREFUSED: connect', operation: 'heartbeat', at: T + 5000 }, authFailure: undefined },
      core: { ...base.core, managed: true, healthy: false, core: { state: 'restarting', pid: undefined, restarts: 2, lastExit: { code: null, signal: 'SIGKILL', at: T + 30_000 }, startedAt: T } },
    });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('degraded');
    expect(r.body.problems).toEqual([
      'phoenix-api unreachable (ECONNREFUSED: connect); last answer 2026-01-01T00:00:00.000Z',
      'phoenix-core is restarting (last exit: signal SIGKILL at 2026-01-01T00:00:30.000Z), 2 restart(s) so far',
    ]);
    expect(r.body.core).toMatchObject({ managed: true, process: { state: 'restarting', restarts: 2, last_exit: { code: null, signal: 'SIGKILL', at: '2026-01-01T00:00:30.000Z' } } });
  });

  test('a refused key is named; starting and stopping answer 503', () => {
    const r = healthReport({ ...base, api: { ...base.api, authFailure: { status: 401, message: 'revoked', since: T } } });
    expect(r.body.problems).toEqual(['phoenix-api refuses the agent key (HTTP 401: revoked) since 2026-01-01T00:00:00.000Z']);
    expect(healthReport({ ...base, state: 'stopping' })).toMatchObject({ status: 503, body: { status: 'stopping' } });
  });
});
