import { iso } from '@phoenix/runtime';
import type { ApiConnectionState } from '../api/client';
import type { CoreSnapshot } from '../core/coreManager';

export interface HealthInputs {
  state: 'starting' | 'running' | 'stopping';
  hostId: string;
  version: string;
  startedAtMs: number;
  nowMs: number;
  apiUrl: string;
  api: ApiConnectionState;
  lastHeartbeatOkAt: number | undefined;
  drained: boolean | undefined;
  core: CoreSnapshot;
  /** the last observatory scrape succeeded */
  coreUp: boolean | undefined;
  control: { via: string | undefined; file: string; lastAppliedAt: number | undefined };
  outbox: { reports: number; metrics: number; logs: number };
  runningTasks: string[];
  journalEntries: number;
  pushgateway: string | undefined;
}

const when = (ms: number | undefined): string | null => (ms === undefined ? null : iso(ms));

function childProblem(name: string, s: NonNullable<CoreSnapshot['core']>): string | undefined {
  if (s.state === 'running') return undefined;
  const exit = s.lastExit ? ` (last exit: ${s.lastExit.signal ? `signal ${s.lastExit.signal}` : `code ${s.lastExit.code}`} at ${iso(s.lastExit.at)})` : '';
  return `${name} is ${s.state}${exit}, ${s.restarts} restart(s) so far`;
}

/** GET /health: 200 while the agent runs (`degraded` with the problems when something is wrong), 503 while starting or stopping. */
export function healthReport(i: HealthInputs): { status: number; body: Record<string, unknown> } {
  const problems: string[] = [];
  if (i.api.authFailure) problems.push(`phoenix-api refuses the agent key (HTTP ${i.api.authFailure.status}: ${i.api.authFailure.message}) since ${iso(i.api.authFailure.since)}`);
  else if (i.api.reachable === false) problems.push(`phoenix-api unreachable (${i.api.lastFailure?.message ?? 'no answer'}); last answer ${when(i.api.lastOkAt) ?? 'never'}`);
  if (i.core.core) {
    const p = childProblem('phoenix-core', i.core.core);
    if (p) problems.push(p);
  }
  if (i.core.control) {
    const p = childProblem('phoenix-control', i.core.control);
    if (p) problems.push(p);
  }
  if (i.core.healthy === false && !(i.core.core && i.core.core.state !== 'running')) problems.push(`phoenix-core is not healthy (${i.core.healthUrl}: ${i.core.healthError ?? 'no answer'})`);
  const body = {
    status: i.state !== 'running' ? i.state : problems.length === 0 ? 'ok' : 'degraded',
    problems,
    host_id: i.hostId,
    agent_version: i.version,
    started_at: iso(i.startedAtMs),
    uptime_seconds: Math.round((i.nowMs - i.startedAtMs) / 1000),
    api: {
      url: i.apiUrl,
      reachable: i.api.reachable ?? null,
      last_ok_at: when(i.api.lastOkAt),
      last_heartbeat_at: when(i.lastHeartbeatOkAt),
      drained: i.drained ?? null,
      auth_failure: i.api.authFailure ? { status: i.api.authFailure.status, message: i.api.authFailure.message, since: iso(i.api.authFailure.since) } : null,
      last_failure: i.api.lastFailure ? { operation: i.api.lastFailure.operation, kind: i.api.lastFailure.kind, message: i.api.lastFailure.message, at: iso(i.api.lastFailure.at) } : null,
    },
    core: {
      managed: i.core.managed,
      url: i.core.url,
      healthy: i.core.healthy ?? null,
      last_health_at: when(i.core.lastHealthAt),
      observatory_up: i.coreUp ?? null,
      process: i.core.core
        ? { state: i.core.core.state, pid: i.core.core.pid ?? null, restarts: i.core.core.restarts, started_at: when(i.core.core.startedAt), last_exit: i.core.core.lastExit ? { code: i.core.core.lastExit.code, signal: i.core.core.lastExit.signal, at: iso(i.core.core.lastExit.at) } : null }
        : null,
    },
    control: {
      via: i.control.via ?? null,
      file: i.control.file,
      managed: i.core.control ? { state: i.core.control.state, pid: i.core.control.pid ?? null, restarts: i.core.control.restarts, url: i.core.control.url, healthy: i.core.control.healthy ?? null } : null,
      last_applied_at: when(i.control.lastAppliedAt),
    },
    outbox: i.outbox,
    tasks: { running: i.runningTasks, journal_entries: i.journalEntries },
    pushgateway: i.pushgateway ?? null,
  };
  return { status: i.state === 'running' ? 200 : 503, body };
}
