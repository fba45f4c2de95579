import { ConfigErrors } from '@phoenix/runtime';

/** How a run samples and judges. Intervals are scenario seconds (wall = x time_scale) unless named wall. */
export interface RunnerConfig {
  sampleIntervalSeconds: number;
  probeIntervalSeconds: number;
  /** Floor of the wall intervals of sampling and probing. */
  minWallIntervalSeconds: number;
  recallTopN: number;
  recallMinAgeSeconds: number;
  flapWindowSeconds: number;
  /** Share above the budget still counted as settled. */
  settlingTolerance: number;
  /** Scenario seconds the active output must hold within the band to count as settled. */
  settlingHoldSeconds: number;
  /** Least wall seconds between two load changes within a phase (the generators rate-limit their API). */
  loadUpdateMinSeconds: number;
  /** Stop the generators' load when a run ends. */
  stopLoadAtEnd: boolean;
  /** Budget assumed when the core does not report phoenix_control_target_series. */
  fallbackTargetSeries: number;
}

export const defaultRunnerConfig: RunnerConfig = {
  sampleIntervalSeconds: 5,
  probeIntervalSeconds: 30,
  minWallIntervalSeconds: 0.25,
  recallTopN: 10,
  recallMinAgeSeconds: 25,
  flapWindowSeconds: 60,
  settlingTolerance: 0.05,
  settlingHoldSeconds: 60,
  loadUpdateMinSeconds: 1.1,
  stopLoadAtEnd: true,
  fallbackTargetSeries: 20000,
};

export function validateRunnerConfig(c: RunnerConfig, prefix = 'runner'): string[] {
  const e = new ConfigErrors();
  e.number(`${prefix}.sampleIntervalSeconds`, c.sampleIntervalSeconds, { min: 0, exclusiveMin: true, max: 3600 });
  e.number(`${prefix}.probeIntervalSeconds`, c.probeIntervalSeconds, { min: 0, exclusiveMin: true, max: 86400 });
  e.number(`${prefix}.minWallIntervalSeconds`, c.minWallIntervalSeconds, { min: 0.05, max: 60 });
  e.number(`${prefix}.recallTopN`, c.recallTopN, { integer: true, min: 1, max: 10 });
  e.number(`${prefix}.recallMinAgeSeconds`, c.recallMinAgeSeconds, { min: 0, max: 86400 });
  e.number(`${prefix}.flapWindowSeconds`, c.flapWindowSeconds, { min: 0, max: 86400 });
  e.number(`${prefix}.settlingTolerance`, c.settlingTolerance, { min: 0, max: 1 });
  e.number(`${prefix}.settlingHoldSeconds`, c.settlingHoldSeconds, { min: 0, max: 86400 });
  e.number(`${prefix}.loadUpdateMinSeconds`, c.loadUpdateMinSeconds, { min: 0, max: 3600 });
  e.number(`${prefix}.fallbackTargetSeries`, c.fallbackTargetSeries, { integer: true, min: 1 });
  return e.messages;
}
