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
