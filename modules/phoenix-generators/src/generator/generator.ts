import type { GeneratorsEffectiveLoad, GeneratorsLoadSettings, GeneratorsLoadStatus, GeneratorsScenarioStart, GeneratorsTruth, LoadProfile } from '@phoenix/contracts';
import { iso, LifecycleGuard, UnavailableError, type Lifecycle, type TimerHandle } from '@phoenix/runtime';
import type { Registry } from 'prom-client';
import { SERIES_PER_PROCESS } from '../metrics/processMetrics';
import { Fleet, type FleetDeps } from './fleet';
import { LoadPlan, peakProcesses } from './loadPlan';
import { LoadRejectedError } from './loadRejectedError';
import { createSelfMetrics, recordTick, type SelfMetrics } from './selfMetrics';
import type { TickReport } from './tickReport';
import { TruthRecorder } from './truthRecorder';

/** Dependencies of the generator (all passed in: clock, registry, logger, exporter factory). */
export interface GeneratorDeps extends FleetDeps {
  registry: Registry;
}

/**
 * Drives the simulation: on every export interval it steps each host's workload model, collects and
 * exports every host through its own OpenTelemetry MeterProvider, and records the ground truth of
 * the hosts whose export succeeded. Load comes from PUT-style settings (manual) or a load profile (scenario).
 *
 * A {@link Lifecycle}: loads run between `start()` and `stop()` (before or after, they are refused with
 * an UnavailableError); `stop()` ends the load and shuts the SDKs and the exporter down, once.
 * `stopLoad()` only stops generating (POST /api/v1/load/stop); the generator stays usable.
 */
export class Generator implements Lifecycle {
  private readonly deps: GeneratorDeps;
  private readonly metrics: SelfMetrics;
  private readonly lifecycle: LifecycleGuard;
  private readonly plan: LoadPlan;
  private readonly truths: TruthRecorder;
  private running = false;
  private fleet: Fleet | undefined;
  private timer: TimerHandle | undefined;
  private inFlight: Promise<unknown> | undefined;
  private nextDueAt = 0;
  private lastTickStartedAt = 0;
  private control: Promise<unknown> = Promise.resolve();
  private counters = { ticks: 0, ok: 0, failed: 0, lastExportAt: null as string | null, lastTickSeconds: null as number | null };
  private readonly listeners: ((r: TickReport) => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(deps: GeneratorDeps) {
    this.deps = deps;
    this.metrics = createSelfMetrics(deps.registry);
    this.plan = new LoadPlan(deps.config.default_load);
    this.truths = new TruthRecorder(this.plan.manual.seed, this.plan.manual.export_interval_seconds);
    this.lifecycle = new LifecycleGuard('generator', () => Promise.resolve(), () => this.serialize(() => this.halt()));
  }

  /** Allows loads to run (nothing to acquire: a run's SDKs and exporter are made when load starts). */
  start(): Promise<void> {
    return this.lifecycle.start();
  }

  /** Ends the load and releases the SDKs and the exporter; later loads are refused. Idempotent. */
  stop(reason?: string): Promise<void> {
    return this.lifecycle.stop(reason);
  }

  /** Calls `listener` after every export interval. */
  onTick(listener: (r: TickReport) => void): void {
    this.listeners.push(listener);
  }

  /** Resolves when no load is generated (now, or once the running load stops). */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Sets the manual load (omitted fields keep their current value) and runs it; ends a running scenario. */
  setLoad(update: GeneratorsLoadSettings): Promise<GeneratorsLoadStatus> {
    return this.serialize(async () => {
      this.checkUsable();
      const base = this.plan.activeScenario() ? this.plan.effectiveLoad(this.running) : this.plan.manual;
      const merged: GeneratorsEffectiveLoad = { ...base, ...update };
      this.checkTotal(merged.hosts, merged.processes_per_host, 'hosts x processes_per_host');
      const intervalChanged = merged.export_interval_seconds !== this.plan.target().interval;
      this.plan.useManual(merged);
      if (!this.running) this.begin();
      else if (intervalChanged) this.reschedule();
      this.deps.log.info('load set', { load: merged });
      return this.status();
    });
  }

  /** Starts a scenario from its first phase with a fresh fleet (the profile's seed unless overridden). */
  startScenario(profile: LoadProfile, opts: GeneratorsScenarioStart = {}): Promise<GeneratorsLoadStatus> {
    return this.serialize(async () => {
      this.checkUsable();
      this.checkTotal(peakProcesses(profile), 1, `scenario ${profile.name}: peak hosts x processes_per_host`);
      await this.halt();
      this.truths.clear();
      const s = this.plan.useScenario(profile, opts, this.deps.config.default_load.seed);
      this.begin();
      this.deps.log.info('scenario started', { scenario: profile.name, seed: s.seed, loop: s.loop, stop_after_seconds: opts.duration_seconds });
      return this.status();
    });
  }

  /** Stops generating and shuts the hosts' SDKs down; the truth of the last exports stays readable. */
  stopLoad(): Promise<GeneratorsLoadStatus> {
    return this.serialize(async () => {
      const wasRunning = this.running;
      await this.halt();
      this.plan.source = 'idle';
      if (wasRunning) this.deps.log.info('load stopped', { ticks: this.counters.ticks });
      return this.status();
    });
  }

  /** The current status (GET /api/v1/load). */
  status(): GeneratorsLoadStatus {
    const load = this.plan.effectiveLoad(this.running);
    return {
      running: this.running,
      source: this.running ? this.plan.source : 'idle',
      load,
      series_per_export: load.hosts * load.processes_per_host * SERIES_PER_PROCESS,
      scenario: this.plan.scenarioStatus(),
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
    return this.truths.truth(opts, iso(this.deps.clock.now()), this.running);
  }

  /**
   * Runs one export interval now: steps the model, exports every host, records the truth. The
   * scheduler calls it; tests and tools may call it directly (once started) while it is not scheduled.
   */
  async tick(): Promise<TickReport> {
    this.checkUsable();
    return this.runTick();
  }

  private async runTick(): Promise<TickReport> {
    const { clock, log } = this.deps;
    const started = clock.now();
    const target = this.plan.target();
    let fleet = this.fleet;
    if (!fleet || fleet.seed !== target.seed) {
      if (fleet) await this.teardownFleet();
      this.truths.clear();
      fleet = new Fleet(this.deps, target.seed);
      this.fleet = fleet;
    }
    for (const gone of await fleet.resize(target.hosts, target.processesPerHost)) this.truths.forget(gone);
    const { churn, processes } = fleet.step(target.interval, target.processesPerHost, target.churnRate);
    const seq = ++fleet.seq;
    const rotationsBefore = fleet.rotations();
    const results = await fleet.exportAll();
    const at = iso(clock.now());
    let ok = 0;
    let failed = 0;
    let series = 0;
    const errors = new Set<string>();
    results.forEach((r, i) => {
      series += r.dataPoints;
      if (r.ok) {
        ok++;
        this.metrics.dataPointsExported.inc(r.dataPoints);
        this.truths.record(fleet.hosts[i].model, seq, at, this.deps.workload.service_name);
      } else {
        failed++;
        if (r.error) errors.add(r.error);
      }
    });
    this.truths.seed = target.seed;
    this.truths.intervalSeconds = target.interval;
    const durationMs = clock.now() - started;
    this.counters.ticks++;
    this.counters.ok += ok;
    this.counters.failed += failed;
    this.counters.lastExportAt = at;
    this.counters.lastTickSeconds = durationMs / 1000;
    const hosts = fleet.hosts.length;
    recordTick(this.metrics, { hosts, processes, series, ok, failed, durationMs, churn, rotations: fleet.rotations() - rotationsBefore });
    if (failed > 0) log.warn('exports failed', { seq, failed, ok, errors: [...errors].slice(0, 5) });
    const report: TickReport = { seq, at, hosts, processes, series, ok, failed, durationMs, errors: [...errors], churn };
    const s = this.plan.activeScenario();
    if (s && target.point) {
      this.plan.advance(target.point, target.interval);
      report.scenario = { name: s.profile.name, phase: target.point.phaseName, elapsedSeconds: s.elapsed, completed: target.point.completed };
    }
    for (const l of this.listeners) l(report);
    return report;
  }

  /** Loads run only between start() and stop(). */
  private checkUsable(): void {
    const state = this.lifecycle.current;
    if (state === 'new') throw new UnavailableError('the generator is not started', 'not_started');
    if (state === 'stopping' || state === 'stopped') throw new UnavailableError('the generator is stopped', 'stopped');
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

  private async teardownFleet(): Promise<void> {
    const fleet = this.fleet;
    this.fleet = undefined;
    await fleet?.shutdown();
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
      this.nextDueAt = this.lastTickStartedAt + this.plan.target().interval * 1000;
      this.schedule(Math.max(0, this.nextDueAt - this.deps.clock.now()));
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => this.scheduledTick(), delayMs);
  }

  private async scheduledTick(): Promise<void> {
    const { clock, log } = this.deps;
    this.timer = undefined;
    if (!this.running) return;
    const tickStart = clock.now();
    this.lastTickStartedAt = tickStart;
    // a failed interval is logged and counted by the next one; it never stops the schedule
    const p = this.runTick().catch((err: unknown) => log.error('export interval failed', { error: err }));
    this.inFlight = p;
    await p;
    this.inFlight = undefined;
    if (!this.running) return;
    if (this.plan.scenarioDone()) {
      void this.stopLoad();
      return;
    }
    const intervalMs = this.plan.target().interval * 1000;
    this.nextDueAt = Math.max(this.nextDueAt, tickStart) + intervalMs;
    const now = clock.now();
    if (this.nextDueAt < now) {
      this.metrics.tickOverruns.inc();
      this.nextDueAt = now;
    }
    this.schedule(this.nextDueAt - now);
  }

  /** Stops the schedule, waits for a running interval, tears the fleet down. */
  private async halt(): Promise<void> {
    this.running = false;
    this.metrics.running.set(0);
    if (this.timer) {
      this.deps.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.inFlight) await this.inFlight;
    await this.teardownFleet();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
