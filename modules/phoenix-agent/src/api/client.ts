import {
  validateAgentHeartbeat,
  validateAgentHeartbeatResponse,
  validateAgentIngestResponse,
  validateAgentLogsBatch,
  validateAgentMetricsBatch,
  validateAgentTask,
  validateAgentTaskList,
  validateAgentTaskStatus,
  validateApiError,
  type AgentHeartbeat,
  type AgentHeartbeatResponse,
  type AgentIngestResponse,
  type AgentLogsBatch,
  type AgentMetricsBatch,
  type AgentTask,
  type AgentTaskStatus,
  type ContractValidator,
} from '@phoenix/contracts';
import type { Clock } from '@phoenix/runtime';
import { httpRequest, HttpTransportError, jsonOf, type HttpResponse } from '../net/httpRequest';
import type { MetricsRegistry, Metric } from '../telemetry/metrics';
import type { ApiClientConfig } from './config';

/** Why a call failed, as the caller must treat it. */
export type ApiFailure =
  /** 401/403: wrong, revoked or foreign key; retried slowly */
  | { kind: 'auth'; status: number; message: string }
  /** 400/404/409/413/415: this request will never succeed; dropped by the caller */
  | { kind: 'rejected'; status: number; message: string; details: string[] }
  /** network, timeout, 5xx, 429, or an answer that breaks the contract: retried with backoff */
  | { kind: 'unavailable'; status?: number; message: string; retryAfterMs?: number };

export class ApiCallError extends Error {
  constructor(
    readonly operation: string,
    readonly failure: ApiFailure,
  ) {
    super(`${operation}: ${failure.message}`);
    this.name = 'ApiCallError';
  }
}

/** How the API has answered lately (read by /health and the heartbeat loop). */
export interface ApiConnectionState {
  /** undefined until the first call settled */
  reachable: boolean | undefined;
  lastOkAt: number | undefined;
  lastFailure: (ApiFailure & { operation: string; at: number }) | undefined;
  /** set while the API refuses the key */
  authFailure: { status: number; message: string; since: number } | undefined;
}

type Operation = 'heartbeat' | 'poll' | 'status' | 'metrics' | 'logs';

function retryAfterMs(res: HttpResponse): number | undefined {
  const raw = res.headers['retry-after'];
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (!v) return undefined;
  const s = Number(v);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : undefined;
}

/** The phoenix-api agent protocol (contracts/openapi/api.openapi.yaml, role `agent`); answers checked against the contract. */
export class ApiClient {
  readonly state: ApiConnectionState = { reachable: undefined, lastOkAt: undefined, lastFailure: undefined, authFailure: undefined };
  private readonly requests: Metric;

  constructor(
    private readonly cfg: ApiClientConfig,
    private readonly clock: Pick<Clock, 'now'>,
    registry: MetricsRegistry,
  ) {
    this.requests = registry.counter('phoenix_agent_api_requests_total', 'Calls of phoenix-api by operation and outcome (ok, auth, rejected, unavailable).', ['operation', 'outcome']);
  }

  heartbeat(body: AgentHeartbeat, signal?: AbortSignal): Promise<AgentHeartbeatResponse> {
    return this.call('heartbeat', 'POST', '/api/v1/agent/heartbeat', body, validateAgentHeartbeat, validateAgentHeartbeatResponse, { signal });
  }

  /** The long poll: claimed tasks, or [] after `waitSeconds`. */
  async pollTasks(o: { waitSeconds: number; max: number; signal?: AbortSignal }): Promise<AgentTask[]> {
    const q = `?wait=${encodeURIComponent(String(o.waitSeconds))}&max=${o.max}`;
    const list = await this.call('poll', 'GET', `/api/v1/agent/tasks${q}`, undefined, undefined, validateAgentTaskList, {
      timeoutMs: (o.waitSeconds + this.cfg.requestTimeoutSeconds) * 1000,
      signal: o.signal,
    });
    return list.tasks;
  }

  reportStatus(taskId: string, body: AgentTaskStatus, signal?: AbortSignal): Promise<AgentTask> {
    return this.call('status', 'POST', `/api/v1/agent/tasks/${encodeURIComponent(taskId)}/status`, body, validateAgentTaskStatus, validateAgentTask, { signal });
  }

  sendMetrics(batch: AgentMetricsBatch, signal?: AbortSignal): Promise<AgentIngestResponse> {
    return this.call('metrics', 'POST', '/api/v1/agent/metrics', batch, validateAgentMetricsBatch, validateAgentIngestResponse, { signal });
  }

  sendLogs(batch: AgentLogsBatch, signal?: AbortSignal): Promise<AgentIngestResponse> {
    return this.call('logs', 'POST', '/api/v1/agent/logs', batch, validateAgentLogsBatch, validateAgentIngestResponse, { signal });
  }

  private async call<Req, Res>(
    operation: Operation,
    method: 'GET' | 'POST',
    path: string,
    body: Req | undefined,
    validateRequest: ContractValidator<Req> | undefined,
    validateAnswer: ContractValidator<Res>,
    o: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<Res> {
    if (body !== undefined && validateRequest) {
      const v = validateRequest(body);
      // the agent's own bug: never sent, never retried
      if (!v.ok) throw this.failed(operation, { kind: 'rejected', status: 0, message: `not sent: the ${operation} body breaks the contract`, details: v.errors });
    }
    let res: HttpResponse;
    try {
      res = await httpRequest(`${this.cfg.url.replace(/\/+$/, '')}${path}`, {
        method,
        body,
        headers: { authorization: `Bearer ${this.cfg.key}`, 'x-agent-host-id': this.cfg.hostId },
        timeoutMs: o.timeoutMs ?? this.cfg.requestTimeoutSeconds * 1000,
        signal: o.signal,
      });
    } catch (err) {
      const code = err instanceof HttpTransportError ? err.code : 'error';
      throw this.failed(operation, { kind: 'unavailable', message: `${code}: ${(err as Error).message}` });
    }
    const json = jsonOf(res);
    if (res.status === 200) {
      const v = validateAnswer(json);
      if (!v.ok) throw this.failed(operation, { kind: 'unavailable', status: 200, message: `the answer breaks the contract (${validateAnswer.schemaId}): ${v.errors.slice(0, 5).join('; ')}` });
      this.ok(operation);
      return v.value;
    }
    const err = validateApiError(json);
    const message = err.ok ? err.value.error : `HTTP ${res.status}: ${res.text.slice(0, 200)}`;
    const details = err.ok ? (err.value.details ?? []) : [];
    if (res.status === 401 || res.status === 403) throw this.failed(operation, { kind: 'auth', status: res.status, message });
    if (res.status === 400 || res.status === 404 || res.status === 409 || res.status === 413 || res.status === 415) {
      // the API answered: it is reachable, this request is not acceptable
      this.ok(operation, 'rejected');
      throw new ApiCallError(operation, { kind: 'rejected', status: res.status, message, details });
    }
    throw this.failed(operation, { kind: 'unavailable', status: res.status, message, retryAfterMs: retryAfterMs(res) });
  }

  private ok(operation: Operation, outcome = 'ok'): void {
    this.requests.inc({ operation, outcome });
    this.state.reachable = true;
    this.state.lastOkAt = this.clock.now();
    this.state.authFailure = undefined;
  }

  private failed(operation: Operation, failure: ApiFailure): ApiCallError {
    const now = this.clock.now();
    this.requests.inc({ operation, outcome: failure.kind });
    if (failure.kind === 'unavailable') this.state.reachable = false;
    if (failure.kind === 'auth') {
      this.state.reachable = true;
      if (this.state.authFailure?.status !== failure.status) this.state.authFailure = { status: failure.status, message: failure.message, since: now };
    }
    this.state.lastFailure = { ...failure, operation, at: now };
    return new ApiCallError(operation, failure);
  }
}
