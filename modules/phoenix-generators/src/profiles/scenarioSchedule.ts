import { phaseMultiplier, profileDuration, type LoadProfile } from '@phoenix/contracts';

export { phaseMultiplier, profileDuration };

/** The load a profile asks for at a point in scenario time. */
export interface ScenarioPoint {
  phaseIndex: number;
  phaseName: string;
  /** Multiplier of processes_per_host at this point. */
  multiplier: number;
  hosts: number;
  processesPerHost: number;
  churnRate: number;
  /** All phases ran (only without loop). */
  completed: boolean;
}

/** Where a scenario stands `elapsedSeconds` after it started. */
export function scenarioPointAt(profile: LoadProfile, elapsedSeconds: number, loop = profile.loop ?? false): ScenarioPoint {
  const total = profileDuration(profile);
  let t = Math.max(0, elapsedSeconds);
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
    phaseName: phase.name,
    multiplier,
    hosts: phase.hosts ?? profile.hosts,
    processesPerHost: Math.max(1, Math.round(profile.processes_per_host * multiplier)),
    churnRate: phase.churn_rate ?? profile.churn_rate ?? 0,
    completed,
  };
}
