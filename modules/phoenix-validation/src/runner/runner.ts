import type {
  BenchmarkControlTransition,
  BenchmarkFleet,
  BenchmarkProbe,
  BenchmarkResult,
  BenchmarkRunProgress,
  BenchmarkSample,
  LoadProfile,
  ScenarioDefinition,
} from '@phoenix/contracts';
import { analyzeRun, type ActuatorHistory } from '../analyzers/analyze';
import { detectTransitions } from '../analyzers/control';
import { loadProfile } from '../catalog/catalog';
import { loadSteps, nextBoundaryAfter, peakProcessesPerHost, profileDuration, scaleHosts, type LoadStep } from '../catalog/schedule';
import type { ControlClient } from '../clients/control';
import type { GeneratorsClient } from '../clients/generators';
import type { ValidationServiceConfig } from '../config';
import { sleep, systemClock, type Clock, type Logger } from '@phoenix/runtime';
import type { KpiReading, KpiSource } from '../sources/kpis';
import { Prober } from '../sources/probes';
import { LoadDriver } from './loadDriver';
import { every } from './every';

/** A run was cancelled (DELETE, Ctrl-C). */
export class RunCancelledError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RunCancelledError';
  }
}

/** Where the run sends what it collects as it goes (the manager persists it). */
export interface RunHooks {
  sample(seq: number, sample: BenchmarkSample): void;
  probe(seq: number, probe: BenchmarkProbe): void;
  transition(seq: number, t: BenchmarkControlTransition): void;
  progress(p: BenchmarkRunProgress): void;
}

export interface RunnerDeps {
  config: ValidationServiceConfig;
  source: KpiSource;
  generators: GeneratorsClient;
  control?: ControlClient;
  log: Logger;
  /** time of the samples and the schedule, and the clock of every wait (default the system clock) */
  clock?: Clock;
}

/** What the run settled before driving any load. */
export interface PreparedRun {
  profile: LoadProfile;
  budgetSeries: number;
  fleet: BenchmarkFleet;
  steps: LoadStep[];
  hostScale: number;
  exportIntervalSeconds: number;
  warnings: string[];
}

/** What the running phase collected. */
export interface CollectedRun {
  startedAtMs: number;
  finishedAtMs: number;
  samples: BenchmarkSample[];
  probes: BenchmarkProbe[];
  warnings: string[];
}

/** Fails a run after this many consecutive failed load changes (the scenario is no longer driven). */
const MAX_DRIVER_FAILURES = 3;

/** One benchmark run of a scenario: prepare (profile, budget, fleet), drive and observe, analyze. */
export class ScenarioRun {
  private readonly clock: Clock;
  private readonly now: () => number;

  constructor(
    private readonly deps: RunnerDeps,
    readonly runId: string,
    readonly scenario: ScenarioDefinition,
    readonly timeScale: number,
    private readonly hooks: RunHooks,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.now = () => this.clock.now();
  }

  /** Reads the profile, the budget in force and sizes the fleet; throws with a reason the run fails with. */
  async prepare(signal?: AbortSignal): Promise<PreparedRun> {
    const { config, generators, source } = this.deps;
    const warnings: string[] = [];
    const profile = loadProfile(config.profilesDir, this.scenario.profile);
    const exportIntervalSeconds = profile.export_interval_seconds * this.timeScale;
    if (exportIntervalSeconds < 0.1) {
      throw new Error(
        `time_scale ${this.timeScale} is too small for profile ${profile.name}: its ${profile.export_interval_seconds} s export interval would be ${exportIntervalSeconds.toFixed(3)} s (the generators need >= 0.1 s)`,
      );
    }
    let known;
    try {
      known = await generators.scenarios(signal);
    } catch (err) {
      throw new Error(`phoenix-generators unreachable at ${generators.baseUrl}: ${(err as Error).message}`);
    }
    const remote = known.scenarios.find((s) => s.name === profile.name);
    if (!remote) throw new Error(`phoenix-generators at ${generators.baseUrl} does not know profile ${profile.name} (known: ${known.scenarios.map((s) => s.name).join(', ')})`);
    if (remote.duration_seconds !== profileDuration(profile) || remote.phases.join(',') !== profile.phases.map((p) => p.name).join(',')) {
      warnings.push(`the generators' profile ${profile.name} differs from ${config.profilesDir}/${profile.name}.yaml (driven from the file)`);
    }
    let reading: KpiReading;
    try {
      reading = await source.read(signal);
    } catch (err) {
      throw new Error(`cannot read the core's KPIs from ${source.kind} source ${source.url}: ${(err as Error).message}`);
    }
    let budgetSeries = reading.target_series;
    if (budgetSeries === undefined || budgetSeries < 1) {
      budgetSeries = config.runner.fallbackTargetSeries;
      warnings.push(`the core reports no phoenix_control_target_series: assuming the budget ${budgetSeries} (PHOENIX_TARGET_SERIES)`);
    }
    const reference = this.scenario.reference_target_series;
    const hostScale = reference ? budgetSeries / reference : 1;
    const fleet: BenchmarkFleet = {
      profile_hosts: profile.hosts,
      hosts: scaleHosts(profile.hosts, hostScale),
      host_scale: hostScale,
      peak_processes_per_host: peakProcessesPerHost(profile),
      export_interval_seconds: exportIntervalSeconds,
      seed: this.scenario.seed ?? profile.seed ?? 42,
      driver: 'load_api',
    };
    if (reference) fleet.reference_target_series = reference;
    const preexisting = reading.series.full_fidelity ?? 0;
    if (preexisting > 0) warnings.push(`the core already held ${preexisting} full_fidelity series when the run started (earlier load not yet expired)`);
    return { profile, budgetSeries, fleet, steps: loadSteps(profile, this.scenario.duration_seconds), hostScale, exportIntervalSeconds, warnings };
  }

  /** Drives the profile and observes the core until the scenario's duration has passed (or `signal` aborts). */
  async drive(prepared: PreparedRun, signal: AbortSignal): Promise<CollectedRun> {
    const { config, generators, source, log } = this.deps;
    const rc = config.runner;
    const driver = new LoadDriver(
      { profile: prepared.profile, timeScale: this.timeScale, hostScale: prepared.hostScale, seed: prepared.fleet.seed, minUpdateSeconds: rc.loadUpdateMinSeconds },
      generators,
      this.now,
    );
    const prober = new Prober(
      {
        fullUrl: config.sources.fullFidelityUrl,
        activeUrl: config.sources.activeUrl,
        topkUrl: config.sources.experimentalTopkUrl,
        timeoutMs: config.sources.timeoutSeconds * 1000,
        topN: rc.recallTopN,
        minAgeSeconds: rc.recallMinAgeSeconds,
        exportIntervalSeconds: prepared.exportIntervalSeconds,
        clock: this.clock,
        debug: (msg) => log.debug(msg, { run: this.runId }),
      },
      generators,
    );
    const warnings: string[] = [];
    const samples: BenchmarkSample[] = [];
    const probes: BenchmarkProbe[] = [];
    const sampleFailures = new Map<string, number>();
    let probeFailures = 0;
    let firstProbeError = '';
    let driverFailures = 0;
    let fatal: Error | undefined;
    let transitionsSeen = 0;

    const done = new AbortController();
    const onAbort = (): void => done.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const wallMs = this.scenario.duration_seconds * this.timeScale * 1000;
    const sampleMs = Math.max(rc.minWallIntervalSeconds, rc.sampleIntervalSeconds * this.timeScale) * 1000;
    const probeMs = Math.max(rc.minWallIntervalSeconds, rc.probeIntervalSeconds * this.timeScale) * 1000;
    const driveMs = Math.max(100, prepared.exportIntervalSeconds * 1000);

    try {
      await driver.start(signal);
    } catch (err) {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) throw new RunCancelledError(String(signal.reason ?? 'cancelled'));
      throw new Error(`could not start the load on phoenix-generators: ${(err as Error).message}`);
    }
    const startedAtMs = this.now();
    const offset = (): number => (this.now() - startedAtMs) / 1000 / this.timeScale;
    log.info('run started', { run: this.runId, scenario: this.scenario.name, time_scale: this.timeScale, hosts: prepared.fleet.hosts, budget: prepared.budgetSeries });

    const takeSample = async (sig: AbortSignal): Promise<void> => {
      let reading: KpiReading;
      try {
        reading = await source.read(sig);
      } catch (err) {
        if (sig.aborted) return;
        const msg = (err as Error).message;
        sampleFailures.set(msg, (sampleFailures.get(msg) ?? 0) + 1);
        return;
      }
      const point = driver.current();
      const sample: BenchmarkSample = { at: new Date(this.now()).toISOString(), offset_seconds: offset(), ...reading };
      if (point) {
        sample.phase = point.phase;
        sample.load_hosts = point.hosts;
        sample.load_processes_per_host = point.processesPerHost;
      }
      samples.push(sample);
      this.hooks.sample(samples.length, sample);
      const ts = detectTransitions(samples.slice(-2));
      for (const t of ts) {
        transitionsSeen += 1;
        this.hooks.transition(transitionsSeen, t);
        log.info('transition seen', { run: this.runId, from: `${t.from_mode}/${t.from_profile}`, to: `${t.to_mode}/${t.to_profile}`, k: t.k, offset_seconds: Math.round(t.offset_seconds) });
      }
      this.hooks.progress(this.progress(startedAtMs, samples, probes.length, sample));
    };

    const deadline = setTimeout(() => done.abort(), wallMs);
    const loops = [
      (async () => {
        // Every export interval (ramps, sines), and exactly at each phase boundary (steps happen on time).
        while (!done.signal.aborted) {
          const t = offset();
          try {
            await driver.update(t, done.signal);
            driverFailures = 0;
          } catch (err) {
            if (done.signal.aborted) return;
            driverFailures += 1;
            warnings.push(`load change failed: ${(err as Error).message}`);
            if (driverFailures >= MAX_DRIVER_FAILURES) {
              fatal = new Error(`the load could not be driven (${driverFailures} failed changes in a row): ${(err as Error).message}`);
              done.abort();
              return;
            }
          }
          const nextBoundaryMs = (nextBoundaryAfter(prepared.profile, t) - offset()) * this.timeScale * 1000;
          await sleep(this.clock, Math.min(driveMs, Math.max(0, nextBoundaryMs) + 2), done.signal);
        }
      })(),
      every(this.clock, sampleMs, done.signal, () => takeSample(done.signal)),
      (async () => {
        // The first probe waits one probe interval: nothing is old enough to be a heavy hitter before.
        await sleep(this.clock, probeMs, done.signal);
        await every(this.clock, probeMs, done.signal, async () => {
          try {
            const p = await prober.probe(offset, samples[samples.length - 1]?.active_pipeline, done.signal);
            if (done.signal.aborted) return;
            probes.push(p);
            this.hooks.probe(probes.length, p);
          } catch (err) {
            if (done.signal.aborted) return;
            probeFailures += 1;
            firstProbeError ||= (err as Error).message;
          }
        });
      })(),
    ];
    try {
      await Promise.all(loops);
    } finally {
      clearTimeout(deadline);
      signal.removeEventListener('abort', onAbort);
    }
    try {
      if (!signal.aborted && !fatal) await takeSample(signal); // the state at the end
    } finally {
      if (config.runner.stopLoadAtEnd || signal.aborted || fatal) {
        await driver.stop().catch((err: unknown) => warnings.push(`could not stop the load: ${(err as Error).message}`));
      }
    }
    if (signal.aborted) throw new RunCancelledError(String(signal.reason ?? 'cancelled'));
    if (fatal) throw fatal;
    const finishedAtMs = this.now();
    for (const [msg, n] of sampleFailures) warnings.push(`${n} KPI reading(s) failed: ${msg}`);
    if (probeFailures > 0) warnings.push(`${probeFailures} probe(s) failed: ${firstProbeError}`);
    if (samples.length === 0) throw new Error(`no KPI reading succeeded during the run (${[...sampleFailures.keys()][0] ?? 'no reading attempted'})`);
    return { startedAtMs, finishedAtMs, samples, probes, warnings };
  }

  private progress(startedAtMs: number, samples: BenchmarkSample[], probes: number, last: BenchmarkSample): BenchmarkRunProgress {
    const wallElapsed = (this.now() - startedAtMs) / 1000;
    const wallDuration = this.scenario.duration_seconds * this.timeScale;
    const p: BenchmarkRunProgress = {
      fraction: Math.min(1, wallDuration > 0 ? wallElapsed / wallDuration : 1),
      scenario_seconds: Math.min(this.scenario.duration_seconds, wallElapsed / this.timeScale),
      duration_seconds: this.scenario.duration_seconds,
      wall_elapsed_seconds: wallElapsed,
      wall_duration_seconds: wallDuration,
      samples: samples.length,
      probes,
    };
    if (last.phase !== undefined) p.phase = last.phase;
    if (last.mode !== undefined) p.mode = last.mode;
    if (last.active_series !== undefined) p.active_series = last.active_series;
    return p;
  }

  /** Reads the actuator's history for the run's window and runs the analyzers. */
  async analyze(prepared: PreparedRun, collected: CollectedRun): Promise<BenchmarkResult> {
    const { config, control } = this.deps;
    let actuator: ActuatorHistory = { status: 'not_configured' };
    if (control) {
      const slack = Math.max(5000, 2 * config.runner.sampleIntervalSeconds * this.timeScale * 1000);
      try {
        actuator = { status: 'read', entries: await control.historyBetween(collected.startedAtMs - slack, collected.finishedAtMs + 2000) };
      } catch (err) {
        actuator = { status: 'unavailable', error: (err as Error).message };
      }
    }
    return analyzeRun({
      runId: this.runId,
      scenario: this.scenario,
      timeScale: this.timeScale,
      environment: config.environment,
      startedAt: new Date(collected.startedAtMs).toISOString(),
      finishedAt: new Date(collected.finishedAtMs).toISOString(),
      wallSeconds: (collected.finishedAtMs - collected.startedAtMs) / 1000,
      budgetSeries: prepared.budgetSeries,
      fleet: prepared.fleet,
      dataSource: { kind: this.deps.source.kind, url: this.deps.source.url },
      samples: collected.samples,
      probes: collected.probes,
      steps: prepared.steps,
      flapWindowSeconds: config.runner.flapWindowSeconds,
      settlingTolerance: config.runner.settlingTolerance,
      settlingHoldSeconds: config.runner.settlingHoldSeconds,
      recallTopN: config.runner.recallTopN,
      recallMinAgeSeconds: config.runner.recallMinAgeSeconds,
      prices: { ...config.cost, environment: config.environment },
      actuator,
      warnings: [...prepared.warnings, ...collected.warnings],
    });
  }
}
