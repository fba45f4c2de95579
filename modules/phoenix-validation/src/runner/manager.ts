import crypto from 'node:crypto';
import type { BenchmarkResult, BenchmarkRun, BenchmarkRunProgress, BenchmarkRunState, ScenarioCatalog, ScenarioDefinition } from '@phoenix/contracts';
import { summarize } from '../analyzers/analyze';
import { findScenario } from '../catalog/catalog';
import type { ControlClient } from '../clients/control';
import type { GeneratorsClient } from '../clients/generators';
import { type Clock, iso, systemClock, type Logger, processAlive } from '@phoenix/runtime';
import type { ValidationServiceConfig } from '../config';
import { isFinal } from '../lifecycle/stateMachine';
import { renderReport } from '../report/html';
import type { KpiSource } from '../sources/kpis';
import { BusyError, UnknownRunError, type RunRecord, type RunStore } from '../store/store';
import { RunCancelledError, ScenarioRun } from './runner';

/** The scenario is not in the catalog (details: the known names). */
export class UnknownScenarioError extends Error {
  constructor(
    readonly scenario: string,
    readonly known: string[],
  ) {
    super(`unknown scenario ${JSON.stringify(scenario)}`);
    this.name = 'UnknownScenarioError';
  }
}

/** The run is not in a state that allows this (409). */
export class RunConflictError extends Error {
  constructor(
    readonly runId: string,
    message: string,
  ) {
    super(message);
    this.name = 'RunConflictError';
  }
}

export interface ManagerDeps {
  config: ValidationServiceConfig;
  store: RunStore;
  catalog: ScenarioCatalog;
  source: KpiSource;
  generators: GeneratorsClient;
  control?: ControlClient;
  log: Logger;
  clock?: Clock;
  /** Who starts runs through this manager: the service's API or the CLI. */
  origin: 'api' | 'cli';
  /** Called when a run reaches a final state. */
  onFinished?: (run: RunRecord) => void;
}

interface InFlight {
  id: string;
  abort: AbortController;
  promise: Promise<void>;
  progress?: BenchmarkRunProgress;
  cancelReason?: string;
  /** Set by shutdown(): the run fails with this reason. */
  failReason?: string;
}

/** A sortable, readable run id: UTC time plus 4 random bytes. */
export function newRunId(nowMs: number): string {
  const t = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${t}-${crypto.randomBytes(4).toString('hex')}`;
}

/**
 * Runs benchmarks one at a time: creates the run (pending), executes it (running -> analyzing -> completed, or
 * failed / cancelled), persists every transition, sample, probe and control transition, and the result once it
 * validates against the contract. On start it marks runs left in flight by a dead process as failed.
 */
export class RunManager {
  private readonly clock: Clock;
  private current: InFlight | undefined;

  constructor(private readonly deps: ManagerDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  get catalog(): ScenarioCatalog {
    return this.deps.catalog;
  }

  /**
   * Marks the runs found in flight as failed: the service's own runs always (only one service uses a database),
   * a CLI's runs when that process is gone. Returns the runs marked (`lifecycle`: the state they were left in).
   */
  recover(): (RunRecord & { lifecycle: BenchmarkRunState })[] {
    const out: (RunRecord & { lifecycle: BenchmarkRunState })[] = [];
    for (const r of this.deps.store.inFlight()) {
      const orphan = r.origin === 'api' ? this.deps.origin === 'api' || !processAlive(r.ownerPid) : r.ownerPid === process.pid || !processAlive(r.ownerPid);
      if (!orphan) continue;
      const reason = `phoenix-validation (${r.origin === 'api' ? 'service' : 'CLI'}, pid ${r.ownerPid}) stopped while the run was ${r.state}: the run cannot be resumed`;
      try {
        out.push({ ...this.deps.store.transition(r.id, 'failed', iso(this.clock.now()), reason), lifecycle: r.state });
        this.deps.log.warn('run left in flight marked failed', { run: r.id, state: r.state, reason });
      } catch (err) {
        this.deps.log.error('could not mark a run left in flight as failed', { run: r.id, err });
      }
    }
    return out;
  }

  /** The run in flight in this process, if any. */
  inFlightId(): string | undefined {
    return this.current?.id;
  }

  /** Starts a run (UnknownScenarioError, BusyError); answers with the run as created (pending). */
  start(scenarioName: string, timeScale = 1): BenchmarkRun {
    const scenario = findScenario(this.deps.catalog, scenarioName);
    if (!scenario) throw new UnknownScenarioError(scenarioName, this.deps.catalog.scenarios.map((s) => s.name));
    if (this.current) {
      const rec = this.deps.store.get(this.current.id);
      throw new BusyError(this.current.id, rec?.state ?? 'running');
    }
    const now = this.clock.now();
    const rec = this.deps.store.create({ id: newRunId(now), scenario: scenario.name, timeScale, origin: this.deps.origin, ownerPid: process.pid, at: iso(now) });
    const abort = new AbortController();
    const inFlight: InFlight = { id: rec.id, abort, promise: Promise.resolve() };
    this.current = inFlight;
    inFlight.promise = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.execute(rec.id, scenario, timeScale, inFlight));
    this.deps.log.info('run created', { run: rec.id, scenario: scenario.name, time_scale: timeScale, origin: this.deps.origin });
    return this.view(rec.id) as BenchmarkRun;
  }

  private async execute(id: string, scenario: ScenarioDefinition, timeScale: number, inFlight: InFlight): Promise<void> {
    const { store, log } = this.deps;
    const at = (): string => iso(this.clock.now());
    const safe = (what: string, fn: () => void): void => {
      try {
        fn();
      } catch (err) {
        log.error(`could not store ${what}`, { run: id, err });
      }
    };
    let final: RunRecord | undefined;
    try {
      if (inFlight.abort.signal.aborted) throw new RunCancelledError(inFlight.cancelReason ?? 'cancelled');
      store.transition(id, 'running', at());
      const run = new ScenarioRun(
        { config: this.deps.config, source: this.deps.source, generators: this.deps.generators, control: this.deps.control, log, clock: this.clock },
        id,
        scenario,
        timeScale,
        {
          sample: (seq, s) => safe('a sample', () => store.addSample(id, seq, s)),
          probe: (seq, p) => safe('a probe', () => store.addProbe(id, seq, p)),
          transition: (seq, t) => safe('a control transition', () => store.addControlTransition(id, seq, t)),
          progress: (p) => {
            inFlight.progress = p;
          },
        },
      );
      const prepared = await run.prepare(inFlight.abort.signal);
      if (inFlight.abort.signal.aborted) throw new RunCancelledError(inFlight.cancelReason ?? 'cancelled');
      const collected = await run.drive(prepared, inFlight.abort.signal);
      store.transition(id, 'analyzing', at());
      const result = await run.analyze(prepared, collected);
      store.saveResult(id, result);
      final = store.transition(id, 'completed', at(), undefined, { passed: result.passed, summary: summarize(result) });
      log.info('run completed', { run: id, scenario: scenario.name, passed: result.passed, failed_slos: result.slo.checks.filter((c) => !c.passed).map((c) => c.name) });
    } catch (err) {
      const cancelled = inFlight.failReason === undefined && (err instanceof RunCancelledError || (inFlight.abort.signal.aborted && inFlight.cancelReason !== undefined));
      const reason = inFlight.failReason ?? (cancelled ? (inFlight.cancelReason ?? (err as Error).message) : (err as Error).message);
      try {
        final = store.transition(id, cancelled ? 'cancelled' : 'failed', at(), reason);
      } catch (e) {
        log.error('could not record the end of a run', { run: id, err: e });
      }
      if (cancelled) log.info('run cancelled', { run: id, reason });
      else log.error('run failed', { run: id, reason });
    } finally {
      if (this.current === inFlight) this.current = undefined;
      if (final) this.deps.onFinished?.(final);
    }
  }

  /** Cancels a pending or running run of this process (UnknownRunError; RunConflictError when analyzing or final). */
  async cancel(id: string, reason = 'cancelled through the API'): Promise<BenchmarkRun> {
    const rec = this.deps.store.get(id);
    if (!rec) throw new UnknownRunError(id);
    if (isFinal(rec.state)) throw new RunConflictError(id, `run ${id} is ${rec.state}: a finished run cannot be cancelled`);
    if (rec.state === 'analyzing') throw new RunConflictError(id, `run ${id} is analyzing: it finishes in a moment and cannot be cancelled`);
    const cur = this.current;
    if (!cur || cur.id !== id) throw new RunConflictError(id, `run ${id} is driven by another process (${rec.origin}, pid ${rec.ownerPid}): cancel it there`);
    cur.cancelReason = reason;
    cur.abort.abort(reason);
    await cur.promise;
    return this.view(id) as BenchmarkRun;
  }

  /** Resolves when no run of this process is in flight. */
  async whenIdle(): Promise<void> {
    while (this.current) await this.current.promise;
  }

  /** Stops: a run in flight is failed with `reason` (its load stopped). */
  async shutdown(reason: string): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    cur.failReason = reason;
    cur.abort.abort(reason);
    await cur.promise.catch(() => undefined);
  }

  /** The API representation of a run (progress while in flight, headline scores once completed). */
  view(id: string): BenchmarkRun | undefined {
    const rec = this.deps.store.get(id);
    return rec ? this.toRun(rec) : undefined;
  }

  list(opts: { limit?: number; state?: BenchmarkRunState } = {}): BenchmarkRun[] {
    return this.deps.store.list(opts).map((r) => this.toRun(r, false));
  }

  private toRun(rec: RunRecord, withLifecycle = true): BenchmarkRun {
    const base = `/api/v1/benchmarks/${rec.id}`;
    const run: BenchmarkRun = {
      id: rec.id,
      scenario: rec.scenario,
      time_scale: rec.timeScale,
      state: rec.state,
      created_at: rec.createdAt,
      origin: rec.origin,
      lifecycle: withLifecycle ? this.deps.store.lifecycle(rec.id) : [],
      links: { self: base, result: `${base}/result`, report: `${base}/report` },
    };
    if (rec.startedAt) run.started_at = rec.startedAt;
    if (rec.finishedAt) run.finished_at = rec.finishedAt;
    if (rec.reason) run.reason = rec.reason;
    if (rec.summary) run.summary = rec.summary;
    if (this.current?.id === rec.id && this.current.progress && !isFinal(rec.state)) run.progress = this.current.progress;
    return run;
  }

  /** The result of a completed run (UnknownRunError; RunConflictError when it has none). */
  result(id: string): BenchmarkResult {
    const rec = this.deps.store.get(id);
    if (!rec) throw new UnknownRunError(id);
    const r = this.deps.store.result(id);
    if (!r) throw new RunConflictError(id, `run ${id} is ${rec.state}: ${isFinal(rec.state) ? 'it has no result' : 'no result yet'}`);
    return r;
  }

  /** The HTML report of a finished run (with what was collected when it failed or was cancelled). */
  report(id: string): string {
    const rec = this.deps.store.get(id);
    if (!rec) throw new UnknownRunError(id);
    if (!isFinal(rec.state)) throw new RunConflictError(id, `run ${id} is ${rec.state}: the report is available once it is finished`);
    const run = this.toRun(rec);
    const result = this.deps.store.result(id);
    const scenario = findScenario(this.deps.catalog, rec.scenario);
    return renderReport({
      run,
      scenario,
      result,
      samples: result?.samples ?? this.deps.store.samples(id),
      transitions: result?.control.transitions ?? this.deps.store.controlTransitions(id),
      generatedAt: iso(this.clock.now()),
    });
  }
}
