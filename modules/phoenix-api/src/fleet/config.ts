import { ConfigErrors } from '@phoenix/runtime';

/** The fleet controller's settings. */
export interface FleetConfig {
  /** the series budget of the whole fleet (a budget set through the API wins) */
  targetSeries: number;
  /** how often the leader allocates */
  intervalSeconds: number;
  /** a host's allocation is sent again when its target moved by more than this fraction (or its max_mode changed) */
  changeThreshold: number;
  /** a host whose full-fidelity series exceed this factor times their recent median has a spike */
  spikeFactor: number;
  /** the window of that median */
  spikeBaselineSeconds: number;
  /** KPI samples older than this are not used */
  kpiMaxAgeSeconds: number;
  /** priority of the set_control tasks it queues */
  taskPriority: number;
  /** false: no allocation runs (the fleet view still shows the budget) */
  enabled: boolean;
}

export const defaultFleetConfig: FleetConfig = {
  targetSeries: 100_000,
  intervalSeconds: 15,
  changeThreshold: 0.05,
  spikeFactor: 1.5,
  spikeBaselineSeconds: 600,
  kpiMaxAgeSeconds: 60,
  taskPriority: 10,
  enabled: true,
};

export function validateFleetConfig(c: FleetConfig, prefix = 'fleet'): string[] {
  const e = new ConfigErrors();
  e.number(`${prefix}.targetSeries`, c.targetSeries, { integer: true, min: 1, max: 1e12 });
  e.number(`${prefix}.intervalSeconds`, c.intervalSeconds, { min: 0.1, max: 86400 });
  e.number(`${prefix}.changeThreshold`, c.changeThreshold, { min: 0, max: 1 });
  e.number(`${prefix}.spikeFactor`, c.spikeFactor, { min: 1, max: 1000, exclusiveMin: true });
  e.number(`${prefix}.spikeBaselineSeconds`, c.spikeBaselineSeconds, { min: 1, max: 86400 });
  e.number(`${prefix}.kpiMaxAgeSeconds`, c.kpiMaxAgeSeconds, { min: 1, max: 86400 });
  e.number(`${prefix}.taskPriority`, c.taskPriority, { integer: true, min: -1000, max: 1000 });
  return e.messages;
}
