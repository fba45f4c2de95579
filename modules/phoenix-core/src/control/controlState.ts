import type { OptimizationMode } from '@phoenix/contracts';

/** The control settings in force while no valid control file has been read (documented in the README). */
export function defaultControlState(targetSeries: number): OptimizationMode {
  return {
    version: 1,
    generation: 0,
    mode: 'conservative',
    profile: 'balanced',
    topk: { k: 20 },
    target_series: targetSeries,
    source: 'actuator',
    reason: 'defaults: no control file read yet',
    override: { expires_at: null },
  };
}
