import { phaseMultiplier, profileDuration, profilePointAt, type LoadProfile } from '@phoenix/contracts';

export { phaseMultiplier, profileDuration };

/** The load a profile asks for at a point in scenario time (the same rules as phoenix-generators' schedule). */
export interface LoadPoint {
  phaseIndex: number;
  phase: string;
  /** Multiplier of processes_per_host. */
  multiplier: number;
  /** Hosts of the phase (the profile's or the phase's), after host scaling. */
  hosts: number;
  processesPerHost: number;
  churnRate: number;
  /** Every phase ran (only without loop; the last phase's end load holds). */
  completed: boolean;
}

/** Scales a host count (at least 1). */
export function scaleHosts(hosts: number, hostScale: number): number {
  return Math.max(1, Math.round(hosts * hostScale));
}

/** Where a profile stands `elapsed` scenario seconds after it started, with hosts multiplied by `hostScale`. */
export function loadPointAt(profile: LoadProfile, elapsed: number, hostScale = 1, loop = profile.loop ?? false): LoadPoint {
  const p = profilePointAt(profile, elapsed, loop);
  return {
    phaseIndex: p.phaseIndex,
    phase: p.phase.name,
    multiplier: p.multiplier,
    hosts: scaleHosts(p.hosts, hostScale),
    processesPerHost: p.processesPerHost,
    churnRate: p.churnRate,
    completed: p.completed,
  };
}

/** A load step: a phase boundary where the load jumps, or where the churn rate changes. */
export interface LoadStep {
  atSeconds: number;
  kind: 'up' | 'down' | 'churn';
  phase: string;
}

/**
 * The load steps within `durationSeconds` of scenario time: phase boundaries (repeated when the profile loops)
 * where hosts x processes changes by more than `threshold` (relative), or else the churn rate changes.
 * Continuous changes (a ramp into a plateau at the same level, a sine starting over) are not steps.
 */
export function loadSteps(profile: LoadProfile, durationSeconds: number, threshold = 0.1): LoadStep[] {
  const total = profileDuration(profile);
  const loop = profile.loop ?? false;
  const steps: LoadStep[] = [];
  for (let cycle = 0; ; cycle++) {
    let start = cycle * total;
    if (start >= durationSeconds) break;
    for (let i = 0; i < profile.phases.length; i++) {
      const boundary = start;
      start += profile.phases[i].duration_seconds;
      if (boundary === 0 || boundary >= durationSeconds) continue;
      const prevPhase = i === 0 ? profile.phases[profile.phases.length - 1] : profile.phases[i - 1];
      const prevMult = phaseMultiplier(prevPhase, prevPhase.duration_seconds);
      const prevLoad = (prevPhase.hosts ?? profile.hosts) * Math.max(1, Math.round(profile.processes_per_host * prevMult));
      const next = profile.phases[i];
      const nextLoad = (next.hosts ?? profile.hosts) * Math.max(1, Math.round(profile.processes_per_host * phaseMultiplier(next, 0)));
      const rel = Math.abs(nextLoad - prevLoad) / Math.max(1, prevLoad);
      const prevChurn = prevPhase.churn_rate ?? profile.churn_rate ?? 0;
      const nextChurn = next.churn_rate ?? profile.churn_rate ?? 0;
      if (rel > threshold) steps.push({ atSeconds: boundary, kind: nextLoad > prevLoad ? 'up' : 'down', phase: next.name });
      else if (nextChurn !== prevChurn) steps.push({ atSeconds: boundary, kind: 'churn', phase: next.name });
    }
    if (!loop) break;
  }
  return steps;
}

/** The largest processes per host any phase asks for. */
export function peakProcessesPerHost(profile: LoadProfile): number {
  let peak = 1;
  for (const phase of profile.phases) {
    const m = phase.ramp ? Math.max(phase.ramp.from, phase.ramp.to) : phase.sine ? phase.sine.base + phase.sine.amplitude : phaseMultiplier(phase, 0);
    peak = Math.max(peak, Math.max(1, Math.round(profile.processes_per_host * m)));
  }
  return peak;
}

/** The next phase boundary strictly after scenario second `t` (repeating when the profile loops); Infinity when none. */
export function nextBoundaryAfter(profile: LoadProfile, t: number): number {
  const total = profileDuration(profile);
  const loop = profile.loop ?? false;
  if (!loop && t >= total) return Infinity;
  const cycle = loop ? Math.floor(t / total) : 0;
  let start = cycle * total;
  for (let c = 0; c < 2; c++) {
    for (const phase of profile.phases) {
      start += phase.duration_seconds;
      if (start > t) return loop || start < total + 1e-9 ? start : Infinity;
    }
    if (!loop) return Infinity;
  }
  return Infinity;
}
