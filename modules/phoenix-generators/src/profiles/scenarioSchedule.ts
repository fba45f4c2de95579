import { phaseMultiplier, profileDuration, profilePointAt, type LoadProfile } from '@phoenix/contracts';

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
  const p = profilePointAt(profile, elapsedSeconds, loop);
  return {
    phaseIndex: p.phaseIndex,
    phaseName: p.phase.name,
    multiplier: p.multiplier,
    hosts: p.hosts,
    processesPerHost: p.processesPerHost,
    churnRate: p.churnRate,
    completed: p.completed,
  };
}
