import { ConfigErrors } from '@phoenix/runtime';

/** Gains and limits of the PID loop (units: error is a ratio, time in seconds). */
export interface PidConfig {
  /** Proportional gain. */
  kp: number;
  /** Integral gain, per second. */
  ki: number;
  /** Derivative gain, in seconds (derivative on the measurement, not on the error). */
  kd: number;
  /** Anti-windup: the integral term is clamped to [integralMin, integralMax]. */
  integralMin: number;
  integralMax: number;
  /** The output p + i + d is clamped to [outputMin, outputMax]. */
  outputMin: number;
  outputMax: number;
}

export const defaultPidConfig: PidConfig = {
  kp: 0.5,
  ki: 0.02,
  kd: 2,
  integralMin: -0.3,
  integralMax: 0.5,
  outputMin: -0.3,
  outputMax: 0.6,
};

export function validatePidConfig(c: PidConfig, prefix = 'pid'): string[] {
  const e = new ConfigErrors();
  e.number(`${prefix}.kp`, c.kp, { min: 0 });
  e.number(`${prefix}.ki`, c.ki, { min: 0 });
  e.number(`${prefix}.kd`, c.kd, { min: 0 });
  e.number(`${prefix}.integralMin`, c.integralMin, { max: 0 });
  e.number(`${prefix}.integralMax`, c.integralMax, { min: 0 });
  e.number(`${prefix}.outputMin`, c.outputMin, { min: -0.9, max: 0 });
  e.number(`${prefix}.outputMax`, c.outputMax, { min: 0, max: 0.95 });
  return e.messages;
}

/** The terms after the last update. */
export interface PidTerms {
  error: number | undefined;
  p: number;
  i: number;
  d: number;
  output: number;
  /** The integral term (already multiplied by ki and clamped). */
  integral: number;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/**
 * A discrete PID on a normalised error, with
 *  - a clamped integral and conditional integration (no integration while the output is saturated in the
 *    direction the error pushes): anti-windup;
 *  - the derivative taken on the measurement (no kick when the setpoint changes);
 *  - time from the caller (no clock inside), dt clamped to [0, maxDtSeconds].
 * Never throws: non-finite inputs leave the state unchanged.
 */
export class Pid {
  private integral = 0;
  private lastMeasurement: number | undefined;
  private lastAtMs: number | undefined;
  private last: PidTerms = { error: undefined, p: 0, i: 0, d: 0, output: 0, integral: 0 };

  constructor(
    private readonly cfg: PidConfig,
    private readonly nominalDtSeconds: number,
    private readonly maxDtSeconds = nominalDtSeconds * 4,
  ) {}

  /**
   * One step. `error` is the normalised control error (positive: above the setpoint); `measurement` the
   * normalised measurement whose derivative feeds the D term.
   */
  update(error: number, measurement: number, atMs: number): PidTerms {
    if (!Number.isFinite(error) || !Number.isFinite(measurement) || !Number.isFinite(atMs)) return this.last;
    const dt = this.lastAtMs === undefined ? this.nominalDtSeconds : clamp((atMs - this.lastAtMs) / 1000, 0, this.maxDtSeconds);
    const p = this.cfg.kp * error;
    const d =
      this.lastMeasurement === undefined || dt <= 0 ? 0 : (this.cfg.kd * (measurement - this.lastMeasurement)) / dt;
    const candidate = clamp(this.integral + this.cfg.ki * error * dt, this.cfg.integralMin, this.cfg.integralMax);
    const unsat = p + candidate + d;
    // Conditional integration: do not wind further into a saturated output.
    const saturatedHigh = unsat > this.cfg.outputMax && error > 0;
    const saturatedLow = unsat < this.cfg.outputMin && error < 0;
    if (!saturatedHigh && !saturatedLow) this.integral = candidate;
    const output = clamp(p + this.integral + d, this.cfg.outputMin, this.cfg.outputMax);
    this.lastMeasurement = measurement;
    this.lastAtMs = atMs;
    this.last = { error, p, i: this.integral, d, output, integral: this.integral };
    return this.last;
  }

  /** Bumpless restart: integral and derivative memory cleared (used on mode transitions). */
  reset(): void {
    this.integral = 0;
    this.lastMeasurement = undefined;
    this.lastAtMs = undefined;
    this.last = { error: this.last.error, p: 0, i: 0, d: 0, output: 0, integral: 0 };
  }

  /** Forget the previous measurement (the next D term is 0), e.g. after the controller moved k itself. */
  resetDerivative(): void {
    this.lastMeasurement = undefined;
  }

  terms(): PidTerms {
    return this.last;
  }
}
