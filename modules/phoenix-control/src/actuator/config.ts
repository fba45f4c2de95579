import { ConfigErrors } from '@phoenix/runtime';
import { defaultPidConfig, validatePidConfig, type PidConfig } from './pid';

/** Configuration of the decision logic. Env names are in the README. */
export interface ActuatorConfig {
  /** Series budget of the active output (PHOENIX_TARGET_SERIES). */
  targetSeries: number;
  /** Share of the target kept free: choices are made against target x (1 - headroom). */
  headroom: number;
  /** A less lossy option is only taken back when it fits the budget with this extra share free. */
  hysteresis: number;
  /** Minimum time between two mode/profile transitions. */
  dwellSeconds: number;
  /** Nominal control interval (PID dt of the first step, dwell display). */
  intervalSeconds: number;
  /** KPIs older than this are stale: the actuator holds its last decision. */
  maxKpiAgeSeconds: number;
  pid: PidConfig;
  topk: {
    minK: number;
    maxK: number;
    /** k written while experimental_topk is not active and nothing else chose one. */
    initialK: number;
    /** k is only moved when the change is at least this share of the current k (and at least 1). */
    deadband: number;
  };
  /** Window of the stability score. */
  stabilityWindowSeconds: number;
}

export const defaultActuatorConfig: ActuatorConfig = {
  targetSeries: 20000,
  headroom: 0.05,
  hysteresis: 0.1,
  dwellSeconds: 60,
  intervalSeconds: 15,
  maxKpiAgeSeconds: 45,
  pid: defaultPidConfig,
  topk: { minK: 1, maxK: 10000, initialK: 20, deadband: 0.02 },
  stabilityWindowSeconds: 3600,
};

export function validateActuatorConfig(c: ActuatorConfig, prefix = 'actuator'): string[] {
  const e = new ConfigErrors();
  e.number(`${prefix}.targetSeries`, c.targetSeries, { integer: true, min: 1 });
  e.number(`${prefix}.headroom`, c.headroom, { min: 0, max: 0.9 });
  e.number(`${prefix}.hysteresis`, c.hysteresis, { min: 0, max: 0.9 });
  e.number(`${prefix}.dwellSeconds`, c.dwellSeconds, { min: 0, max: 86400 });
  e.number(`${prefix}.intervalSeconds`, c.intervalSeconds, { min: 0, exclusiveMin: true, max: 3600 });
  e.number(`${prefix}.maxKpiAgeSeconds`, c.maxKpiAgeSeconds, { min: 0, exclusiveMin: true });
  e.number(`${prefix}.topk.minK`, c.topk.minK, { integer: true, min: 1, max: 100000 });
  e.number(`${prefix}.topk.maxK`, c.topk.maxK, { integer: true, min: 1, max: 100000 });
  e.number(`${prefix}.topk.initialK`, c.topk.initialK, { integer: true, min: 1, max: 100000 });
  e.number(`${prefix}.topk.deadband`, c.topk.deadband, { min: 0, max: 0.5 });
  e.number(`${prefix}.stabilityWindowSeconds`, c.stabilityWindowSeconds, { min: 0, exclusiveMin: true });
  if (c.topk.minK > c.topk.maxK) e.add(`${prefix}.topk.minK`, `must be <= ${prefix}.topk.maxK (${c.topk.maxK})`);
  if (c.topk.initialK < c.topk.minK || c.topk.initialK > c.topk.maxK) {
    e.add(`${prefix}.topk.initialK`, `must be within [${prefix}.topk.minK, ${prefix}.topk.maxK]`);
  }
  if (c.pid.integralMin > c.pid.integralMax) e.add(`${prefix}.pid.integralMin`, `must be <= ${prefix}.pid.integralMax`);
  return [...e.messages, ...validatePidConfig(c.pid, `${prefix}.pid`)];
}
