import fs from 'node:fs';
import os from 'node:os';
import type { AgentHeartbeat, AgentHeartbeatResponse, KpiSample } from '@phoenix/contracts';
import { createLogger, iso, LifecycleGuard, systemClock, type Clock, type HttpListener, type Lifecycle, type Logger } from '@phoenix/runtime';
import { ApiClient } from './api/client';
import { HeartbeatLoop } from './api/heartbeat';
import type { AgentConfig } from './config';
import { ControlApplier } from './control/applier';
import type { ChildSpec, SupervisedChild, SupervisorOptions } from './core/childProcess';
import { CoreManager } from './core/coreManager';
import { KpiCollector } from './core/kpiCollector';
import type { CoreReading } from './core/kpiSample';
import { healthReport } from './health/healthReport';
import { startAgentHttp } from './health/server';
import { LogShipper } from './logs/logShipper';
import { OutboxDelivery } from './outbox/delivery';
import { Outbox } from './outbox/outbox';
import { Pusher } from './push/pusher';
import { SeqCounter } from './state/seqCounter';
import { StateDir } from './state/stateDir';
import { collectDiagnosticsExecutor } from './tasks/executors/collectDiagnostics';
import { loadSimulationExecutor } from './tasks/executors/loadSimulation';
import { deployPipelineExecutor, removePipelineExecutor } from './tasks/executors/pipelines';
import { restartCoreExecutor } from './tasks/executors/restartCore';
import { setControlExecutor } from './tasks/executors/setControl';
import { TaskJournal } from './tasks/journal';
import { TaskPoller } from './tasks/poller';
import { TaskRunner } from './tasks/runner';
import type { TaskExecutor } from './tasks/types';
import { AgentTelemetry, processUsage } from './telemetry/agentTelemetry';
import { MetricsRegistry } from './telemetry/metrics';
import { AGENT_VERSION } from './version';

export interface AgentServiceDeps {
  clock?: Clock;
  /** the agent's logger; without one, a logger writing through `shipper` */
  log?: Logger;
  /** where log lines go (stdout, diagnostics ring, the API's log lane) */
  shipper?: LogShipper;
  /** the environment managed children start with (default process.env) */
  env?: Record<string, string | undefined>;
  random?: () => number;
  supervise?: (spec: ChildSpec, o: SupervisorOptions) => SupervisedChild;
}

/**
 * phoenix-agent: registers with phoenix-api and heartbeats, long-polls its tasks and runs them
 * (exactly once, through the journal), reads the host's core into KPI samples, pushes them to the
 * Pushgateway and queues them (with task reports and log lines) in the persisted outbox; supervises the
 * core in managed mode. Started and stopped as one (Lifecycle).
 */
export class AgentService implements Lifecycle {
  readonly registry = new MetricsRegistry();
  readonly api: ApiClient;
  readonly outbox: Outbox;
  readonly journal: TaskJournal;
  readonly core: CoreManager;
  readonly applier: ControlApplier;
  readonly collector: KpiCollector;
  readonly runner: TaskRunner;
  readonly shipper: LogShipper;
  readonly startedAtMs: number;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly stateDir: StateDir;
  private readonly seq: SeqCounter;
  private readonly pusher: Pusher;
  private readonly telemetry: AgentTelemetry;
  private readonly poller: TaskPoller;
  private readonly heartbeat: HeartbeatLoop;
  private readonly delivery: OutboxDelivery;
  private readonly lifecycle: LifecycleGuard;
  private http: HttpListener | undefined;
  private state: 'starting' | 'running' | 'stopping' = 'starting';
  private pollWaitSeconds: number;
  private lastAnswer: AgentHeartbeatResponse | undefined;
  private lastHeartbeatOkAt: number | undefined;
  private inForce: AgentHeartbeat['control'];

  constructor(
    readonly config: AgentConfig,
    deps: AgentServiceDeps = {},
  ) {
    const clock = (this.clock = deps.clock ?? systemClock);
    this.startedAtMs = clock.now();
    this.shipper = deps.shipper ?? new LogShipper({ clock, shipLevel: config.shipLogLevel, ringSize: 2000, flushMs: 1000 });
    this.log = deps.log ?? createLogger({ level: config.logLevel, sink: this.shipper.sink, clock, fields: { service: 'phoenix-agent' } });
    const log = this.log;
    const random = deps.random ?? Math.random;
    const retry = { backoffMaxSeconds: config.api.backoffMaxSeconds, authRetrySeconds: config.api.authRetrySeconds };
    const registry = this.registry;
    this.pollWaitSeconds = config.api.pollWaitSeconds;
    this.stateDir = new StateDir(config.stateDir);
    this.api = new ApiClient(config.api, clock, registry);
    this.outbox = new Outbox(config.outbox, this.stateDir, clock, log.child({ component: 'outbox' }), registry);
    this.seq = new SeqCounter(this.stateDir.file('seq.json'), clock);
    this.journal = new TaskJournal(this.stateDir.file('journal.jsonl'), config.tasks.journalMaxEntries, clock, log.child({ component: 'journal' }));
    this.core = new CoreManager({
      core: config.core,
      control: config.control,
      baseEnv: deps.env ?? process.env,
      clock,
      log: log.child({ component: 'core' }),
      onChildLine: (source, line) => this.shipper.childLine(source, line),
      supervise: deps.supervise,
    });
    this.applier = new ControlApplier({
      cfg: config.control,
      controlUrl: () => this.core.controlUrl(),
      controlManaged: () => this.core.managesControl,
      stateFile: this.stateDir.file('control-state.json'),
      clock,
      log: log.child({ component: 'control' }),
    });
    this.telemetry = new AgentTelemetry(registry, { version: AGENT_VERSION, hostId: config.api.hostId, startedAtMs: this.startedAtMs });
    this.pusher = new Pusher(config.push, config.api.hostId, registry, clock, log.child({ component: 'push' }));
    this.collector = new KpiCollector({
      url: config.core.url,
      timeoutMs: config.core.scrapeTimeoutSeconds * 1000,
      clock,
      log: log.child({ component: 'observatory' }),
      registry,
      onSample: (s, r) => this.onSample(s, r),
    });
    this.runner = new TaskRunner({ executors: this.executors(), journal: this.journal, outbox: this.outbox, api: this.api, clock, log: log.child({ component: 'tasks' }), registry, maxConcurrent: config.tasks.maxConcurrent });
    this.poller = new TaskPoller({ api: this.api, runner: this.runner, clock, log: log.child({ component: 'poller' }), waitSeconds: () => this.pollWaitSeconds, retry, random });
    this.delivery = new OutboxDelivery({ outbox: this.outbox, api: this.api, clock, log: log.child({ component: 'delivery' }), registry, cfg: config.outbox, retry, startedAt: iso(this.startedAtMs), random });
    this.heartbeat = new HeartbeatLoop({
      api: this.api,
      clock,
      log: log.child({ component: 'heartbeat' }),
      body: () => this.heartbeatBody(),
      onAnswer: (r) => this.onHeartbeatAnswer(r),
      onRecovered: () => {
        this.delivery.nudge();
        this.poller.nudge();
      },
      intervalSeconds: config.api.heartbeatIntervalSeconds,
      retry,
      random,
    });
    registry.gauge('phoenix_agent_api_reachable', 'Whether phoenix-api answered the last call (1), did not (0).', [], (m) => m.set({}, this.api.state.reachable ? 1 : 0));
    registry.gauge('phoenix_agent_api_auth_failed', 'Whether phoenix-api refuses the agent key (1).', [], (m) => m.set({}, this.api.state.authFailure ? 1 : 0));
    registry.gauge('phoenix_agent_journal_entries', 'Finished tasks remembered for exactly-once.', [], (m) => m.set({}, this.journal.size));
    registry.counter('phoenix_agent_core_restarts_total', 'Restarts of the managed core since the agent started.', [], (m) => m.set({}, this.core.snapshot().core?.restarts ?? 0));
    this.lifecycle = new LifecycleGuard('phoenix-agent', () => this.doStart(), (reason) => this.doStop(reason));
  }

  /** The port of /metrics and /health (after start). */
  get port(): number {
    return this.http?.port ?? 0;
  }

  start(): Promise<void> {
    return this.lifecycle.start();
  }

  stop(reason?: string): Promise<void> {
    return this.lifecycle.stop(reason);
  }

  /** The health report (GET /health). */
  health(): { status: number; body: Record<string, unknown> } {
    return healthReport({
      state: this.state,
      hostId: this.config.api.hostId,
      version: AGENT_VERSION,
      startedAtMs: this.startedAtMs,
      nowMs: this.clock.now(),
      apiUrl: this.config.api.url,
      api: this.api.state,
      lastHeartbeatOkAt: this.lastHeartbeatOkAt,
      drained: this.lastAnswer?.drained,
      core: this.core.snapshot(),
      coreUp: this.collector.last ? this.collector.last.sample.core_up !== false : undefined,
      control: { via: this.applier.lastApplied?.via, file: this.config.control.file, lastAppliedAt: this.applier.lastApplied?.at },
      outbox: this.outbox.sizes(),
      runningTasks: this.runner.activeTaskIds(),
      journalEntries: this.journal.size,
      pushgateway: this.pusher.url,
    });
  }

  /** What this host can do (the heartbeat's capabilities): task types and features, honestly. */
  capabilities(): string[] {
    const caps = ['set_control', 'collect_diagnostics'];
    if (this.config.generators.cli && fs.existsSync(this.config.generators.cli)) caps.push('load_simulation');
    if (this.core.managed) caps.push('restart_core', 'managed_core');
    if (this.core.managesControl) caps.push('managed_control');
    if (this.config.push.url) caps.push('pushgateway');
    return caps;
  }

  private executors(): Array<TaskExecutor<never>> {
    const c = this.config;
    const list: Array<TaskExecutor<never>> = [
      setControlExecutor({ applier: this.applier, clock: this.clock, coreGeneration: () => this.coreGeneration(), confirmTimeoutMs: 10_000 }),
      deployPipelineExecutor(),
      removePipelineExecutor(),
      restartCoreExecutor(this.core, 60_000),
      loadSimulationExecutor({ cli: c.generators.cli, profilesDir: c.generators.profilesDir, otlpHttpUrl: c.core.otlpHttpUrl, workDir: this.stateDir.file('tmp'), env: process.env, stopGraceMs: 5000 }),
      collectDiagnosticsExecutor({
        agentState: () => this.health().body,
        coreHealthUrl: c.core.healthUrl,
        timeoutMs: c.core.scrapeTimeoutSeconds * 1000,
        observatory: () => this.collector.excerpt,
        recentLogs: (n) => this.shipper.recent(n),
      }),
    ] as Array<TaskExecutor<never>>;
    return list;
  }

  private coreGeneration(): Promise<number | undefined> {
    return this.collector.generation();
  }

  private onSample(sample: Omit<KpiSample, 'seq'>, reading: CoreReading | undefined): void {
    const seq = this.seq.take('metrics');
    this.outbox.metrics.add([{ seq, payload: { seq, ...sample } }]);
    this.telemetry.setKpis(sample, reading?.process);
    if (reading?.process) this.core.usage = reading.process;
    if (reading) {
      const s = reading.sample;
      const control: NonNullable<AgentHeartbeat['control']> = {};
      if (s.mode) control.mode = s.mode;
      if (s.profile) control.profile = s.profile;
      if (s.topk_k !== undefined) control.topk_k = s.topk_k;
      if (s.target_series !== undefined) control.target_series = s.target_series;
      if (reading.generation !== undefined && reading.generation >= 0) control.generation = reading.generation;
      this.inForce = control;
    }
    void this.pusher.push();
  }

  private heartbeatBody(): AgentHeartbeat {
    const core = this.core.processUsage();
    const body: AgentHeartbeat = {
      hostname: os.hostname().slice(0, 253) || this.config.api.hostId,
      agent_version: AGENT_VERSION,
      capabilities: this.capabilities(),
      started_at: iso(this.startedAtMs),
      resource_usage: { agent: { ...processUsage(), pid: process.pid }, ...(core ? { core } : {}) },
      active_tasks: this.runner.activeTaskIds().slice(0, 1000),
      active_pipelines: [],
    };
    if (this.inForce && Object.keys(this.inForce).length > 0) body.control = this.inForce;
    return body;
  }

  private onHeartbeatAnswer(r: AgentHeartbeatResponse): void {
    this.lastAnswer = r;
    this.lastHeartbeatOkAt = this.clock.now();
    this.pollWaitSeconds = Math.min(60, r.poll_timeout_seconds);
    if (r.metrics_interval_seconds !== undefined) this.collector.setInterval(r.metrics_interval_seconds);
  }

  private async doStart(): Promise<void> {
    this.stateDir.acquire();
    this.outbox.open();
    this.seq.open();
    this.journal.open();
    this.shipper.attach(this.outbox.logs, this.seq);
    this.http = await startAgentHttp(this.config.http, this.registry, () => this.health());
    this.applier.start();
    await this.core.start();
    this.collector.start(this.config.core.metricsIntervalSeconds);
    this.delivery.start();
    this.heartbeat.start();
    this.poller.start();
    this.state = 'running';
  }

  private async doStop(reason: string): Promise<void> {
    this.state = 'stopping';
    this.log.info('stopping', { reason });
    await this.poller.stop();
    await this.runner.stop();
    await this.heartbeat.stop();
    this.collector.stop();
    this.applier.stop();
    await this.core.stop();
    this.shipper.detach();
    await this.delivery.stop();
    this.outbox.close();
    this.journal.close();
    await this.http?.stop();
    this.stateDir.release();
  }
}
