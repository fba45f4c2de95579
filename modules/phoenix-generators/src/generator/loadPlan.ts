import type { GeneratorsEffectiveLoad, GeneratorsLoadStatus, GeneratorsScenarioStart, LoadProfile } from '@phoenix/contracts';
import { phaseMultiplier, profileDuration, scenarioPointAt, type ScenarioPoint } from '../profiles/scenarioSchedule';

/** Where the load comes from. */
export type LoadSource = 'idle' | 'manual' | 'scenario';

/** A scenario in progress, in scenario time. */
export interface ScenarioState {
  profile: LoadProfile;
  seed: number;
  loop: boolean;
  stopAfter?: number;
  /** Scenario time of the next tick. */
  elapsed: number;
  lastPoint: ScenarioPoint;
}

/** What the next export interval runs. */
export interface Target {
  hosts: number;
  processesPerHost: number;
  churnRate: number;
  interval: number;
  seed: number;
  /** the scenario's point, when a scenario drives the load */
  point?: ScenarioPoint;
}

/** The peak of hosts x processes per host over a profile's phases. */
export function peakProcesses(profile: LoadProfile): number {
  let peak = 0;
  for (const phase of profile.phases) {
    const m = phase.ramp ? Math.max(phase.ramp.from, phase.ramp.to) : phase.sine ? phase.sine.base + phase.sine.amplitude : phaseMultiplier(phase, 0);
    const procs = Math.max(1, Math.round(profile.processes_per_host * m));
    peak = Math.max(peak, (phase.hosts ?? profile.hosts) * procs);
  }
  return peak;
}

/** The load the generator follows: a manual load (PUT /api/v1/load) or a scenario (a load profile in scenario time). */
export class LoadPlan {
  source: LoadSource = 'idle';
  manual: GeneratorsEffectiveLoad;
  scenario: ScenarioState | undefined;

  constructor(defaultLoad: GeneratorsEffectiveLoad) {
    this.manual = { ...defaultLoad };
  }

  useManual(load: GeneratorsEffectiveLoad): void {
    this.manual = load;
    this.source = 'manual';
    this.scenario = undefined;
  }

  /** Starts `profile` from its first phase. */
  useScenario(profile: LoadProfile, opts: GeneratorsScenarioStart, defaultSeed: number): ScenarioState {
    const loop = opts.loop ?? profile.loop ?? false;
    this.scenario = {
      profile,
      seed: opts.seed ?? profile.seed ?? defaultSeed,
      loop,
      stopAfter: opts.duration_seconds,
      elapsed: 0,
      lastPoint: scenarioPointAt(profile, 0, loop),
    };
    this.source = 'scenario';
    return this.scenario;
  }

  /** The running scenario, if the load follows one. */
  activeScenario(): ScenarioState | undefined {
    return this.source === 'scenario' ? this.scenario : undefined;
  }

  target(): Target {
    const s = this.activeScenario();
    if (s) {
      const point = scenarioPointAt(s.profile, s.elapsed, s.loop);
      return { hosts: point.hosts, processesPerHost: point.processesPerHost, churnRate: point.churnRate, interval: s.profile.export_interval_seconds, seed: s.seed, point };
    }
    const l = this.manual;
    return { hosts: l.hosts, processesPerHost: l.processes_per_host, churnRate: l.churn_rate, interval: l.export_interval_seconds, seed: l.seed };
  }

  /** The load in force (a stopped scenario shows where it ended). */
  effectiveLoad(running: boolean): GeneratorsEffectiveLoad {
    const s = this.scenario;
    if (s && (this.source === 'scenario' || !running)) {
      const p = s.lastPoint;
      return { hosts: p.hosts, processes_per_host: p.processesPerHost, churn_rate: p.churnRate, export_interval_seconds: s.profile.export_interval_seconds, seed: s.seed };
    }
    return { ...this.manual };
  }

  /** Moves the scenario past one export interval at `point`. */
  advance(point: ScenarioPoint, intervalSeconds: number): void {
    const s = this.activeScenario();
    if (!s) return;
    s.lastPoint = point;
    s.elapsed += intervalSeconds;
  }

  /** Whether the scenario ran its `duration_seconds`. */
  scenarioDone(): boolean {
    const s = this.activeScenario();
    return s !== undefined && s.stopAfter !== undefined && s.elapsed >= s.stopAfter - 1e-9;
  }

  /** The `scenario` part of the load status. */
  scenarioStatus(): GeneratorsLoadStatus['scenario'] {
    const s = this.scenario;
    if (!s) return null;
    return {
      name: s.profile.name,
      phase: s.lastPoint.phaseName,
      phase_index: s.lastPoint.phaseIndex,
      phases: s.profile.phases.length,
      elapsed_seconds: s.elapsed,
      duration_seconds: profileDuration(s.profile),
      ...(s.stopAfter !== undefined ? { stop_after_seconds: s.stopAfter } : {}),
      loop: s.loop,
      completed: s.lastPoint.completed,
    };
  }
}
