import type {
  GeneratorsEffectiveLoad,
  GeneratorsHostTruth,
  GeneratorsLoadSettings,
  GeneratorsLoadStatus,
  GeneratorsScenarioStart,
  GeneratorsTruth,
  LoadProfile,
} from '@phoenix/contracts';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { Registry } from 'prom-client';
import type { Clock, Logger, TimerHandle } from '@phoenix/runtime';
import { mapLimit } from '../common/mapLimit';
import { createMetricExporter } from '../exporter/createMetricExporter';
import type { ExporterConfig } from '../exporter/exporterConfig';
import { SERIES_PER_PROCESS } from '../metrics/processMetrics';
import { phaseMultiplier, profileDuration, scenarioPointAt, type ScenarioPoint } from '../profiles/scenarioSchedule';
import { HostTelemetry, type HostExportResult } from '../sdk/hostTelemetry';
import { buildHostTruth, processList, snapshotProcesses, type ProcessSnapshot } from '../truth/buildHostTruth';
import { HostModel, type StepChurn } from '../workload/hostModel';
import type { WorkloadConfig } from '../workload/workloadConfig';
import type { GeneratorConfig } from './generatorConfig';
import { createSelfMetrics, type SelfMetrics } from './selfMetrics';

/** A load request the generator refuses (the API answers 400 with `details`). */
export class LoadRejectedError extends Error {
  readonly details: string[];
  constructor(message: string, details: string[]) {
    super(message);
    this.name = 'LoadRejectedError';
    this.details = details;
  }
}

/** What one export interval did. */
export interface TickReport {
  seq: number;
  at: string;
  hosts: number;
  processes: number;
  /** Data points sent (all hosts). */
  series: number;
  ok: number;
  failed: number;
  durationMs: number;
  /** Distinct export errors of this interval. */
  errors: string[];
  churn: StepChurn;
  scenario?: { name: string; phase: string; elapsedSeconds: number; completed: boolean };
}

/** Dependencies of the generator (all passed in: clock, registry, logger, exporter factory). */
export interface GeneratorDeps {
  clock: Clock;
  registry: Registry;
  logger: Logger;
  exporter: ExporterConfig;
  workload: WorkloadConfig;
  config: GeneratorConfig;
  meterVersion: string;
  /** Defaults to the OTLP exporter for `exporter.protocol`. */
  createExporter?: (c: ExporterConfig) => PushMetricExporter;
}

interface HostRuntime {
  model: HostModel;
  telemetry: HostTelemetry;
}

interface Run {
  seed: number;
  hosts: HostRuntime[];
  exporter: PushMetricExporter;
  seq: number;
}

interface ScenarioState {
  profile: LoadProfile;
  seed: number;
  loop: boolean;
  stopAfter?: number;
  /** Scenario time of the next tick. */
  elapsed: number;
  lastPoint: ScenarioPoint;
}

interface Target {
  hosts: number;
  processesPerHost: number;
  churnRate: number;
  interval: number;
  seed: number;
  point?: ScenarioPoint;
}

/**
 * Drives the simulation: on every export interval it steps each host's workload model, collects and
 * exports every host through its own OpenTelemetry MeterProvider, and records the ground truth of
 * the hosts whose export succeeded. Load comes from PUT-style settings (manual) or a load profile (scenario).
 */
export class Generator {
  private readonly deps: GeneratorDeps;
  private readonly metrics: SelfMetrics;
  private source: 'idle' | 'manual' | 'scenario' = 'idle';
  private running = false;
  private manual: GeneratorsEffectiveLoad;
  private scenario: ScenarioState | undefined;
  private run: Run | undefined;
  private timer: TimerHandle | undefined;
  private inFlight: Promise<unknown> | undefined;
  private nextDueAt = 0;
  private lastTickStartedAt = 0;
  private control: Promise<unknown> = Promise.resolve();
  private readonly truthHosts = new Map<string, { truth: GeneratorsHostTruth; snapshot: ProcessSnapshot }>();
  private truthSeed: number;
  private truthInterval: number;
  private counters = { ticks: 0, ok: 0, failed: 0, lastExportAt: null as string | null, lastTickSeconds: null as number | null };
  private readonly listeners: ((r: TickReport) => void)[] = [];
  private stoppedWaiters: (() => void)[] = [];

  constructor(deps: GeneratorDeps) {
    this.deps = deps;
    this.metrics = createSelfMetrics(deps.registry);
    this.manual = { ...deps.config.default_load };
    this.truthSeed = this.manual.seed;
    this.truthInterval = this.manual.export_interval_seconds;
  }

  /** Calls `listener` after every export interval. */
  onTick(listener: (r: TickReport) => void): void {
    this.listeners.push(listener);
  }

  /** Resolves when the generator is (or becomes) stopped. */
  whenStopped(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.stoppedWaiters.push(resolve));
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Sets the manual load (omitted fields keep their current value) and runs it; ends a running scenario. */
  setLoad(update: GeneratorsLoadSettings): Promise<GeneratorsLoadStatus> {
    return this.serialize(async () => {
      const base = this.source === 'scenario' && this.scenario ? this.effectiveLoad() : this.manual;
      const merged: GeneratorsEffectiveLoad = { ...base, ...update };
      this.checkTotal(merged.hosts, merged.processes_per_host, 'hosts x processes_per_host');
      const intervalChanged = merged.export_interval_seconds !== this.intervalSeconds();
      this.manual = merged;
      this.source = 'manual';
      this.scenario = undefined;
      if (!this.running) this.begin();
      else if (intervalChanged) this.reschedule();
      this.deps.logger.info('load set', { load: merged });
      return this.status();
    });
  }

  /** Starts a scenario from its first phase with a fresh fleet (the profile's seed unless overridden). */
  startScenario(profile: LoadProfile, opts: GeneratorsScenarioStart = {}): Promise<GeneratorsLoadStatus> {
    return this.serialize(async () => {
      let peak = 0;
      for (const phase of profile.phases) {
        const m = phase.ramp ? Math.max(phase.ramp.from, phase.ramp.to) : phase.sine ? phase.sine.base + phase.sine.amplitude : phaseMultiplier(phase, 0);
        const procs = Math.max(1, Math.round(profile.processes_per_host * m));
        peak = Math.max(peak, (phase.hosts ?? profile.hosts) * procs);
      }
      this.checkTotal(peak, 1, `scenario ${profile.name}: peak hosts x processes_per_host`);
      await this.halt();
      this.resetTruth();
      const loop = opts.loop ?? profile.loop ?? false;
      this.scenario = {
        profile,
        seed: opts.seed ?? profile.seed ?? this.deps.config.default_load.seed,
        loop,
        stopAfter: opts.duration_seconds,
        elapsed: 0,
        lastPoint: scenarioPointAt(profile, 0, loop),
      };
      this.source = 'scenario';
      this.begin();
      this.deps.logger.info('scenario started', { scenario: profile.name, seed: this.scenario.seed, loop, stop_after_seconds: opts.duration_seconds });
      return this.status();
    });
  }

  /** Stops exporting and shuts the hosts' SDKs down; the truth of the last exports stays readable. */
  stop(): Promise<GeneratorsLoadStatus> {
    return this.serialize(async () => {
      const wasRunning = this.running;
      await this.halt();
      if (this.source === 'manual') this.source = 'idle';
      if (this.source === 'scenario') this.source = 'idle';
      if (wasRunning) this.deps.logger.info('generator stopped', { ticks: this.counters.ticks });
      return this.status();
    });
  }

  /** Stops and releases everything. */
  async close(): Promise<void> {
    await this.stop();
  }

  /** The current status (GET /api/v1/load). */
  status(): GeneratorsLoadStatus {
    const load = this.effectiveLoad();
    const s = this.scenario;
    return {
      running: this.running,
      source: this.running ? this.source : 'idle',
      load,
      series_per_export: load.hosts * load.processes_per_host * SERIES_PER_PROCESS,
      scenario: s
        ? {
            name: s.profile.name,
            phase: s.lastPoint.phaseName,
            phase_index: s.lastPoint.phaseIndex,
            phases: s.profile.phases.length,
            elapsed_seconds: s.elapsed,
            duration_seconds: profileDuration(s.profile),
            ...(s.stopAfter !== undefined ? { stop_after_seconds: s.stopAfter } : {}),
            loop: s.loop,
            completed: s.lastPoint.completed,
          }
        : null,
      exporter: { protocol: this.deps.exporter.protocol, endpoint: this.deps.exporter.url },
      exports: {
        ticks: this.counters.ticks,
        ok: this.counters.ok,
        failed: this.counters.failed,
        last_export_at: this.counters.lastExportAt,
        last_tick_seconds: this.counters.lastTickSeconds,
      },
    };
  }

  /** The ground truth at each host's last successful export (GET /api/v1/truth); `processes` adds every process. */
  truth(opts: { processes?: boolean } = {}): GeneratorsTruth {
    const hosts = [...this.truthHosts.values()]
      .map(({ truth, snapshot }) => (opts.processes ? { ...truth, process_list: processList(snapshot) } : truth))
      .sort((a, b) => (a.host_name < b.host_name ? -1 : a.host_name > b.host_name ? 1 : 0));
    return {
      generated_at: new Date(this.deps.clock.now()).toISOString(),
      running: this.running,
      seed: this.truthSeed,
      export_interval_seconds: this.truthInterval,
      series: hosts.reduce((n, h) => n + h.series, 0),
      hosts,
    };
  }

  /**
   * Runs one export interval now: steps the model, exports every host, records the truth. The
   * scheduler calls it; tests and tools may call it directly while the generator is not scheduled.
   */
  async tick(): Promise<TickReport> {
    const started = this.deps.clock.now();
    const target = this.target();
    let run = this.run;
    if (!run || run.seed !== target.seed) {
      if (run) await this.teardownRun();
      this.resetTruth();
      run = this.createRun(target.seed);
    }
    await this.resizeFleet(run, target);
    const churn: StepChurn = { spawns: 0, exits: 0, restarts: 0, resets: 0 };
    let processes = 0;
    for (const h of run.hosts) {
      const c = h.model.step(target.interval, target.processesPerHost, target.churnRate);
      churn.spawns += c.spawns;
      churn.exits += c.exits;
      churn.restarts += c.restarts;
      churn.resets += c.resets;
      processes += h.model.processCount;
    }
    run.seq++;
    const seq = run.seq;
    const rotationsBefore = run.hosts.reduce((n, h) => n + h.telemetry.rotations, 0);
    const results = await mapLimit(run.hosts, this.deps.exporter.max_concurrent_exports, (h) =>
      h.telemetry.exportOnce().catch((err: unknown): HostExportResult => ({ ok: false, error: (err as Error).message, dataPoints: 0, durationMs: 0 })),
    );
    const at = new Date(this.deps.clock.now()).toISOString();
    let ok = 0;
    let failed = 0;
    let series = 0;
    const errors = new Set<string>();
    results.forEach((r, i) => {
      const h = run.hosts[i];
      series += r.dataPoints;
      if (r.ok) {
        ok++;
        this.metrics.dataPointsExported.inc(r.dataPoints);
        this.truthHosts.set(h.model.hostName, {
          truth: buildHostTruth(h.model, { exportSeq: seq, exportedAt: at, serviceName: this.deps.workload.service_name }),
          snapshot: snapshotProcesses(h.model),
        });
      } else {
        failed++;
        if (r.error) errors.add(r.error);
      }
    });
    this.truthSeed = target.seed;
    this.truthInterval = target.interval;
    const durationMs = this.deps.clock.now() - started;
    this.counters.ticks++;
    this.counters.ok += ok;
    this.counters.failed += failed;
    this.counters.lastExportAt = at;
    this.counters.lastTickSeconds = durationMs / 1000;
    const m = this.metrics;
    m.ticks.inc();
    if (ok > 0) m.exports.inc({ outcome: 'ok' }, ok);
    if (failed > 0) m.exports.inc({ outcome: 'failed' }, failed);
    m.exportSeries.set(series);
    m.tickDuration.observe(durationMs / 1000);
    m.hosts.set(run.hosts.length);
    m.processes.set(processes);
    for (const [kind, n] of [['spawn', churn.spawns], ['exit', churn.exits], ['restart', churn.restarts], ['reset', churn.resets]] as const) {
      if (n > 0) m.churnEvents.inc({ kind }, n);
    }
    const rotations = run.hosts.reduce((n, h) => n + h.telemetry.rotations, 0) - rotationsBefore;
    if (rotations > 0) m.providerRotations.inc(rotations);
    if (failed > 0) this.deps.logger.warn('exports failed', { seq, failed, ok, errors: [...errors].slice(0, 5) });
    const report: TickReport = { seq, at, hosts: run.hosts.length, processes, series, ok, failed, durationMs, errors: [...errors], churn };
    const s = this.scenario;
    if (this.source === 'scenario' && s && target.point) {
      s.lastPoint = target.point;
      s.elapsed += target.interval;
      report.scenario = { name: s.profile.name, phase: target.point.phaseName, elapsedSeconds: s.elapsed, completed: target.point.completed };
    }
    for (const l of this.listeners) l(report);
    return report;
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.control.then(fn, fn);
    this.control = next.catch(() => undefined);
    return next;
  }

  private checkTotal(a: number, b: number, what: string): void {
    const max = this.deps.config.max_total_processes;
    if (a * b > max) {
      throw new LoadRejectedError('load too large', [`${what}: ${a * b} exceeds the limit of ${max} processes (generator.max_total_processes)`]);
    }
  }

  private target(): Target {
    const s = this.scenario;
    if (this.source === 'scenario' && s) {
      const point = scenarioPointAt(s.profile, s.elapsed, s.loop);
      return {
        hosts: point.hosts,
        processesPerHost: point.processesPerHost,
        churnRate: point.churnRate,
        interval: s.profile.export_interval_seconds,
        seed: s.seed,
        point,
      };
    }
    const l = this.manual;
    return { hosts: l.hosts, processesPerHost: l.processes_per_host, churnRate: l.churn_rate, interval: l.export_interval_seconds, seed: l.seed };
  }

  private effectiveLoad(): GeneratorsEffectiveLoad {
    const s = this.scenario;
    if (s && (this.source === 'scenario' || !this.running)) {
      const p = s.lastPoint;
      return {
        hosts: p.hosts,
        processes_per_host: p.processesPerHost,
        churn_rate: p.churnRate,
        export_interval_seconds: s.profile.export_interval_seconds,
        seed: s.seed,
      };
    }
    return { ...this.manual };
  }

  private intervalSeconds(): number {
    return this.target().interval;
  }

  private createRun(seed: number): Run {
    const create = this.deps.createExporter ?? createMetricExporter;
    this.run = { seed, hosts: [], exporter: create(this.deps.exporter), seq: 0 };
    return this.run;
  }

  private async resizeFleet(run: Run, target: Target): Promise<void> {
    while (run.hosts.length < target.hosts) {
      const model = new HostModel({
        hostIndex: run.hosts.length,
        seed: run.seed,
        initialProcesses: target.processesPerHost,
        config: this.deps.workload,
      });
      const telemetry = new HostTelemetry({
        model,
        exporter: run.exporter,
        serviceName: this.deps.workload.service_name,
        cardinalityLimit: this.deps.config.cardinality_limit,
        rotateAfterExited: this.deps.config.rotate_after_exited,
        collectTimeoutMs: this.deps.config.collect_timeout_ms,
        meterVersion: this.deps.meterVersion,
        logger: this.deps.logger,
        now: () => this.deps.clock.now(),
      });
      run.hosts.push({ model, telemetry });
    }
    while (run.hosts.length > target.hosts) {
      const h = run.hosts.pop();
      if (!h) break;
      await h.telemetry.shutdown();
      this.truthHosts.delete(h.model.hostName);
    }
  }

  private async teardownRun(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    if (!run) return;
    await Promise.all(run.hosts.map((h) => h.telemetry.shutdown()));
    await run.exporter.shutdown().catch((err: unknown) => this.deps.logger.warn('exporter shutdown failed', { error: err }));
  }

  private resetTruth(): void {
    this.truthHosts.clear();
  }

  private begin(): void {
    this.running = true;
    this.metrics.running.set(1);
    this.nextDueAt = this.deps.clock.now();
    this.schedule(0);
  }

  private reschedule(): void {
    if (!this.running) return;
    if (this.timer && !this.inFlight) {
      // Next tick one (new) interval after the last one started.
      this.nextDueAt = this.lastTickStartedAt + this.intervalSeconds() * 1000;
      this.schedule(Math.max(0, this.nextDueAt - this.deps.clock.now()));
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => this.scheduledTick(), delayMs);
  }

  private async scheduledTick(): Promise<void> {
    this.timer = undefined;
    if (!this.running) return;
    const tickStart = this.deps.clock.now();
    this.lastTickStartedAt = tickStart;
    const p = this.tick().catch((err: unknown) => this.deps.logger.error('export interval failed', { error: err }));
    this.inFlight = p;
    await p;
    this.inFlight = undefined;
    if (!this.running) return;
    const s = this.scenario;
    if (this.source === 'scenario' && s && s.stopAfter !== undefined && s.elapsed >= s.stopAfter - 1e-9) {
      void this.stop();
      return;
    }
    const intervalMs = this.intervalSeconds() * 1000;
    this.nextDueAt = Math.max(this.nextDueAt, tickStart) + intervalMs;
    const now = this.deps.clock.now();
    if (this.nextDueAt < now) {
      this.metrics.tickOverruns.inc();
      this.nextDueAt = now;
    }
    this.schedule(this.nextDueAt - now);
  }

  /** Stops the schedule, waits for a running interval, tears the run down. */
  private async halt(): Promise<void> {
    this.running = false;
    this.metrics.running.set(0);
    if (this.timer) {
      this.deps.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.inFlight) await this.inFlight;
    await this.teardownRun();
    const waiters = this.stoppedWaiters;
    this.stoppedWaiters = [];
    for (const w of waiters) w();
  }
}
