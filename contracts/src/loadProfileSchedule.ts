import type { LoadProfile, LoadProfilePhase } from './generated';

/*
 * The meaning of a load profile's phases, shared by the module that plays a profile
 * (phoenix-generators) and the one that drives and scores it (phoenix-validation).
 */

/** Total duration of a profile's phases, in seconds. */
export function profileDuration(profile: LoadProfile): number {
  return profile.phases.reduce((s, p) => s + p.duration_seconds, 0);
}

/** The multiplier of a phase `t` seconds after it started. */
export function phaseMultiplier(phase: LoadProfilePhase, t: number): number {
  if (phase.scale !== undefined) return phase.scale;
  if (phase.ramp !== undefined) {
    const f = Math.min(1, Math.max(0, t / phase.duration_seconds));
    return phase.ramp.from + (phase.ramp.to - phase.ramp.from) * f;
  }
  if (phase.sine !== undefined) {
    return Math.max(0, phase.sine.base + phase.sine.amplitude * Math.sin((2 * Math.PI * t) / phase.sine.period_seconds));
  }
  return 1;
}

/** Where a profile stands `elapsed` seconds after it started (see profilePointAt). */
export interface ProfilePoint {
  phaseIndex: number;
  phase: LoadProfilePhase;
  multiplier: number;
  /** the phase's hosts, else the profile's */
  hosts: number;
  processesPerHost: number;
  churnRate: number;
  /** past the last phase of a profile that does not loop (the last phase's end state) */
  completed: boolean;
}

/** The phase in force `elapsed` seconds after a profile started, and the load it asks for. */
export function profilePointAt(profile: LoadProfile, elapsed: number, loop = profile.loop ?? false): ProfilePoint {
  const total = profileDuration(profile);
  let t = Math.max(0, elapsed);
  let completed = false;
  if (t >= total) {
    if (loop) t = t % total;
    else completed = true;
  }
  let index = profile.phases.length - 1;
  let inPhase = profile.phases[index].duration_seconds;
  if (!completed) {
    let start = 0;
    for (let i = 0; i < profile.phases.length; i++) {
      const d = profile.phases[i].duration_seconds;
      if (t < start + d) {
        index = i;
        inPhase = t - start;
        break;
      }
      start += d;
    }
  }
  const phase = profile.phases[index];
  const multiplier = phaseMultiplier(phase, inPhase);
  return {
    phaseIndex: index,
    phase,
    multiplier,
    hosts: phase.hosts ?? profile.hosts,
    processesPerHost: Math.max(1, Math.round(profile.processes_per_host * multiplier)),
    churnRate: phase.churn_rate ?? profile.churn_rate ?? 0,
    completed,
  };
}
