/**
 * A small phoenix-api for the agent's tests: the agent routes of contracts/openapi/api.openapi.yaml, with
 * every request body checked by the contract's validators (a bad one gets the API's 400) and every answer
 * checked by them before it is sent (a fake that drifts from the contract fails the test, not the agent).
 * Task semantics follow the shared design: claim (attempts + 1, lease), running extends the lease, the same
 * report twice answers the same, a stale attempt or a change of a final state is 409, another host's task 403.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
  type AgentTask,
  type AgentTaskStatus,
  type ContractValidator,
  type KpiSample,
  type LogLine,
} from '@phoenix/contracts';
import type { EnqueueOptions, TestApi } from './testApi';

export const FAKE_ENROLLMENT_KEY = 'phx_000000000000_enrollment-key-for-tests';

interface Stored {
  task: AgentTask;
  lastReport?: { attempt: number; body: string };
}

export interface FakeApiOptions {
  /** key -> the host id it is bound to, or '*' (default: FAKE_ENROLLMENT_KEY for any host) */
  keys?: Record<string, string>;
  heartbeatIntervalSeconds?: number;
  pollTimeoutSeconds?: number;
  metricsIntervalSeconds?: number;
  leaseSeconds?: number;
}

export class FakeApi implements TestApi {
  url = '';
  readonly key: string;
  readonly heartbeatsByHost = new Map<string, AgentHeartbeat[]>();
  readonly samplesByHost = new Map<string, Map<number, KpiSample>>();
  readonly logsByHost = new Map<string, Map<number, LogLine>>();
  /** every status report that reached a task, in arrival order, with the answer's status */
  readonly reports: Array<{ taskId: string; body: AgentTaskStatus; status: number }> = [];
  /** metrics batches as they arrived: the seqs of each */
  readonly metricsPosts: number[][] = [];
  /** requests answered 503 on purpose, by route suffix (`heartbeat`, `tasks`, `status`, `metrics`, `logs`) */
  readonly unavailable = new Set<string>();
  private readonly tasks = new Map<string, Stored>();
  private readonly wake = new EventEmitter();
  private readonly polls = new Map<string, number>();
  private server: http.Server | undefined;
  private port = 0;
  private nextId = 1;

  constructor(private readonly o: FakeApiOptions = {}) {
    this.key = Object.keys(o.keys ?? {})[0] ?? FAKE_ENROLLMENT_KEY;
    this.wake.setMaxListeners(0);
  }

  async start(): Promise<void> {
    await this.listen(0);
    this.url = `http://127.0.0.1:${this.port}`;
  }

  /** Closes the port (connections refused) until up(). */
  async down(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    if (!this.server) await this.listen(this.port);
  }

  async stop(): Promise<void> {
    this.wake.emit('stop');
    await this.down();
  }

  async enqueue(hostId: string, type: AgentTask['type'], config: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<string> {
    const id = `task-${this.nextId++}`;
    const now = new Date().toISOString();
    const task: AgentTask = {
      id,
      host_id: hostId,
      type,
      config,
      priority: opts.priority ?? 0,
      status: 'pending',
      attempts: 0,
      max_attempts: opts.maxAttempts ?? 3,
      created_at: now,
      updated_at: now,
      source: 'operator',
      ...(opts.deadlineSeconds ? { deadline: new Date(Date.now() + opts.deadlineSeconds * 1000).toISOString() } : {}),
    };
    this.tasks.set(id, { task });
    this.wake.emit(hostId);
    return Promise.resolve(id);
  }

  task(id: string): Promise<AgentTask | undefined> {
    return Promise.resolve(this.tasks.get(id)?.task);
  }

  /** A claimed or running task goes back to the queue, as when its lease runs out. */
  expireLease(id: string): Promise<void> {
    const s = this.tasks.get(id);
    if (s && (s.task.status === 'claimed' || s.task.status === 'running')) {
      s.task = { ...s.task, status: s.task.attempts >= s.task.max_attempts ? 'failed' : 'pending', lease_until: null, updated_at: new Date().toISOString() };
      if (s.task.status === 'pending') this.wake.emit(s.task.host_id);
    }
    return Promise.resolve();
  }

  samples(hostId: string): Promise<KpiSample[]> {
    return Promise.resolve([...(this.samplesByHost.get(hostId)?.values() ?? [])].sort((a, b) => a.seq - b.seq));
  }

  logs(hostId: string): Promise<LogLine[]> {
    return Promise.resolve([...(this.logsByHost.get(hostId)?.values() ?? [])].sort((a, b) => a.seq - b.seq));
  }

  heartbeats(hostId: string): Promise<AgentHeartbeat[]> {
    return Promise.resolve(this.heartbeatsByHost.get(hostId) ?? []);
  }

  private listen(port: number): Promise<void> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 65_000;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.server = server;
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const send = <T>(status: number, body: T, validate: ContractValidator<T>): void => {
      const v = validate(body);
      if (!v.ok) throw new Error(`the fake API's own answer breaks ${validate.schemaId}: ${v.errors.join('; ')}`);
      res.writeHead(status, { 'content-type': 'application/json', ...(status === 503 ? { 'retry-after': '1' } : {}) });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, msg: string, details?: string[]): void => send(status, details ? { error: msg, details } : { error: msg }, validateApiError);
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const route = url.pathname.split('/').pop() ?? '';
    if (this.unavailable.has(route) || this.unavailable.has('*')) return error(503, 'database unavailable');
    const host = this.authorize(req);
    if (typeof host === 'number') return error(host, host === 401 ? 'unknown, wrong or revoked agent key' : 'this key is bound to another host id');
    const body = (validate: ContractValidator<unknown>): unknown => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        error(400, 'the body is not JSON');
        return undefined;
      }
      const v = validate(parsed);
      if (!v.ok) {
        error(400, 'invalid body', v.errors);
        return undefined;
      }
      return v.value;
    };
    const p = url.pathname;
    if (req.method === 'POST' && p === '/api/v1/agent/heartbeat') {
      const hb = body(validateAgentHeartbeat) as AgentHeartbeat | undefined;
      if (!hb) return;
      const list = this.heartbeatsByHost.get(host) ?? [];
      this.heartbeatsByHost.set(host, [...list, hb]);
      const answer = {
        host_id: host,
        registered: list.length === 0,
        heartbeat_interval_seconds: this.o.heartbeatIntervalSeconds ?? 10,
        poll_timeout_seconds: this.o.pollTimeoutSeconds ?? 30,
        server_time: new Date().toISOString(),
        drained: false,
        ...(this.o.metricsIntervalSeconds ? { metrics_interval_seconds: this.o.metricsIntervalSeconds } : {}),
      };
      return send(200, answer, validateAgentHeartbeatResponse);
    }
    if (req.method === 'GET' && p === '/api/v1/agent/tasks') {
      const wait = Number(url.searchParams.get('wait') ?? '30');
      const max = Number(url.searchParams.get('max') ?? '5');
      if (!(wait >= 0 && wait <= 60) || !(Number.isInteger(max) && max >= 1 && max <= 20)) return error(400, 'invalid query', ['wait: must be 0..60', 'max: must be 1..20']);
      let tasks = this.claim(host, max);
      if (tasks.length === 0 && wait > 0) {
        await this.waitFor(host, wait * 1000, res);
        // a poller that went away (killed) must not be handed a task it will never see
        if (res.destroyed || req.socket.destroyed) return;
        tasks = this.claim(host, max);
      }
      return send(200, { tasks }, validateAgentTaskList);
    }
    const m = /^\/api\/v1\/agent\/tasks\/([^/]+)\/status$/.exec(p);
    if (req.method === 'POST' && m) {
      const report = body(validateAgentTaskStatus) as AgentTaskStatus | undefined;
      if (!report) return;
      const [status, answer] = this.report(host, decodeURIComponent(m[1]), report);
      this.reports.push({ taskId: decodeURIComponent(m[1]), body: report, status });
      return typeof answer === 'string' ? error(status, answer) : send(status, answer, validateAgentTask);
    }
    if (req.method === 'POST' && (p === '/api/v1/agent/metrics' || p === '/api/v1/agent/logs')) {
      const isMetrics = p.endsWith('metrics');
      const batch = body(isMetrics ? validateAgentMetricsBatch : validateAgentLogsBatch) as { samples?: KpiSample[]; lines?: LogLine[] } | undefined;
      if (!batch) return;
      const entries: Array<{ seq: number }> = (isMetrics ? batch.samples : batch.lines) ?? [];
      if (isMetrics) this.metricsPosts.push(entries.map((e) => e.seq));
      const byHost = isMetrics ? this.samplesByHost : this.logsByHost;
      const store = byHost.get(host) ?? new Map<number, { seq: number }>();
      byHost.set(host, store as never);
      let accepted = 0;
      for (const e of entries) {
        if (store.has(e.seq)) continue;
        store.set(e.seq, e);
        accepted += 1;
      }
      return send(200, { accepted, duplicates: entries.length - accepted, last_seq: entries.length ? entries[entries.length - 1].seq : null }, validateAgentIngestResponse);
    }
    error(404, `no route ${req.method} ${p}`);
  }

  /** The host id of an authorized request, or 401/403. */
  private authorize(req: http.IncomingMessage): string | 401 | 403 {
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    const host = req.headers['x-agent-host-id'];
    const keys = this.o.keys ?? { [FAKE_ENROLLMENT_KEY]: '*' };
    const bound = m ? keys[m[1]] : undefined;
    if (!bound || typeof host !== 'string' || host === '') return 401;
    return bound === '*' || bound === host ? host : 403;
  }

  private claim(host: string, max: number): AgentTask[] {
    const pending = [...this.tasks.values()].filter((s) => s.task.host_id === host && s.task.status === 'pending').sort((a, b) => b.task.priority - a.task.priority);
    const lease = new Date(Date.now() + (this.o.leaseSeconds ?? 60) * 1000).toISOString();
    return pending.slice(0, max).map((s) => {
      s.task = { ...s.task, status: 'claimed', attempts: s.task.attempts + 1, lease_until: lease, updated_at: new Date().toISOString() };
      return s.task;
    });
  }

  /** Long polls of `host` waiting now (a killed agent's poll ends when its connection is seen closed). */
  openPolls(host: string): number {
    return this.polls.get(host) ?? 0;
  }

  private waitFor(host: string, ms: number, res: http.ServerResponse): Promise<void> {
    this.polls.set(host, this.openPolls(host) + 1);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake.off(host, done);
        this.wake.off('stop', done);
        res.off('close', done);
        this.polls.set(host, this.openPolls(host) - 1);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake.on(host, done);
      this.wake.on('stop', done);
      res.on('close', done);
    });
  }

  private report(host: string, id: string, r: AgentTaskStatus): [number, AgentTask | string] {
    const s = this.tasks.get(id);
    if (!s) return [404, `no task ${id}`];
    if (s.task.host_id !== host) return [403, `task ${id} belongs to another host`];
    const key = JSON.stringify(r);
    if (s.lastReport && s.lastReport.attempt === r.attempt && s.lastReport.body === key) return [200, s.task];
    if (r.attempt !== s.task.attempts) return [409, `attempt ${r.attempt} is not the current one (${s.task.attempts})`];
    if (['succeeded', 'failed', 'cancelled'].includes(s.task.status)) return [409, `task ${id} is already ${s.task.status}`];
    if (s.task.status === 'pending') return [409, `attempt ${r.attempt} is no longer leased`];
    const now = new Date().toISOString();
    let t: AgentTask = { ...s.task, updated_at: now };
    if (r.status === 'running') t = { ...t, status: 'running', started_at: t.started_at ?? now, lease_until: new Date(Date.now() + (this.o.leaseSeconds ?? 60) * 1000).toISOString() };
    else if (r.status === 'succeeded') t = { ...t, status: 'succeeded', result: r.result ?? {}, finished_at: now, lease_until: null };
    else if (r.retryable !== false && t.attempts < t.max_attempts) t = { ...t, status: 'pending', error: r.error ?? null, lease_until: null };
    else t = { ...t, status: 'failed', error: r.error ?? null, result: r.result ?? null, finished_at: now, lease_until: null };
    s.task = t;
    s.lastReport = { attempt: r.attempt, body: key };
    if (t.status === 'pending') this.wake.emit(host);
    return [200, t];
  }
}
