import { Pid, type PidConfig } from './pid';

const cfg: PidConfig = { kp: 1, ki: 0.1, kd: 2, integralMin: -0.2, integralMax: 0.3, outputMin: -0.5, outputMax: 0.6 };

describe('Pid', () => {
  it('P, I and D terms with dt from the caller', () => {
    const pid = new Pid(cfg, 10);
    let t = pid.update(0.1, 1.0, 0); // first step: nominal dt 10 s, no derivative yet
    expect(t.p).toBeCloseTo(0.1);
    expect(t.i).toBeCloseTo(0.1 * 0.1 * 10);
    expect(t.d).toBe(0);
    t = pid.update(0.1, 1.2, 5000); // dt 5 s; measurement +0.2 -> D = 2 * 0.2 / 5
    expect(t.i).toBeCloseTo(0.1 + 0.05);
    expect(t.d).toBeCloseTo(0.08);
    expect(t.output).toBeCloseTo(0.1 + 0.15 + 0.08);
  });

  it('anti-windup: the integral is clamped and does not wind while the output saturates', () => {
    const pid = new Pid({ ...cfg, kp: 0, kd: 0 }, 10);
    for (let i = 0; i < 100; i++) pid.update(1, 1, i * 10_000);
    expect(pid.terms().integral).toBeCloseTo(0.3); // integralMax
    // It unwinds as soon as the error changes sign: no long tail of accumulated error.
    pid.update(-0.5, 1, 100 * 10_000);
    expect(pid.terms().integral).toBeCloseTo(0.3 - 0.5);
    const sat = new Pid({ ...cfg, kp: 1, kd: 0, outputMax: 0.5 }, 10);
    sat.update(2, 1, 0); // p = 2 already saturates the output: no integration
    expect(sat.terms().integral).toBe(0);
    expect(sat.terms().output).toBe(0.5);
  });

  it('derivative on the measurement: a setpoint change does not kick; a measurement change does', () => {
    const pid = new Pid({ ...cfg, kp: 0, ki: 0 }, 10);
    pid.update(0, 1, 0);
    expect(pid.update(0.5, 1, 10_000).d).toBe(0); // error jumped (setpoint moved), measurement did not
    expect(pid.update(0.5, 1.5, 20_000).d).toBeCloseTo((2 * 0.5) / 10);
    pid.resetDerivative();
    expect(pid.update(0.5, 3, 30_000).d).toBe(0);
  });

  it('reset() is bumpless; non-finite inputs leave the state unchanged', () => {
    const pid = new Pid(cfg, 10);
    pid.update(0.2, 1, 0);
    const before = pid.terms();
    expect(pid.update(NaN, 1, 1000)).toBe(before);
    expect(pid.update(0.1, Infinity, 1000)).toBe(before);
    pid.reset();
    expect(pid.terms()).toMatchObject({ p: 0, i: 0, d: 0, output: 0, integral: 0 });
  });
});
