import { leafKeys } from '@phoenix/testkit';
import { defaultActuatorConfig, validateActuatorConfig, type ActuatorConfig } from './config';
import { defaultPidConfig, validatePidConfig } from './pid';

const d = defaultActuatorConfig;
const BAD: Array<[string, ActuatorConfig, string[]]> = [
  ['targetSeries', { ...d, targetSeries: 0 }, ['actuator.targetSeries: must be >= 1 (got 0)']],
  ['headroom', { ...d, headroom: 0.95 }, ['actuator.headroom: must be <= 0.9 (got 0.95)']],
  ['hysteresis', { ...d, hysteresis: -0.1 }, ['actuator.hysteresis: must be >= 0 (got -0.1)']],
  ['dwellSeconds', { ...d, dwellSeconds: 90000 }, ['actuator.dwellSeconds: must be <= 86400 (got 90000)']],
  ['intervalSeconds', { ...d, intervalSeconds: 0 }, ['actuator.intervalSeconds: must be > 0 (got 0)']],
  ['maxKpiAgeSeconds', { ...d, maxKpiAgeSeconds: 0 }, ['actuator.maxKpiAgeSeconds: must be > 0 (got 0)']],
  ['stabilityWindowSeconds', { ...d, stabilityWindowSeconds: 0 }, ['actuator.stabilityWindowSeconds: must be > 0 (got 0)']],
  ['pid.kp', { ...d, pid: { ...d.pid, kp: -1 } }, ['actuator.pid.kp: must be >= 0 (got -1)']],
  ['pid.ki', { ...d, pid: { ...d.pid, ki: -1 } }, ['actuator.pid.ki: must be >= 0 (got -1)']],
  ['pid.kd', { ...d, pid: { ...d.pid, kd: -1 } }, ['actuator.pid.kd: must be >= 0 (got -1)']],
  ['pid.integralMin', { ...d, pid: { ...d.pid, integralMin: 0.1 } }, ['actuator.pid.integralMin: must be <= 0 (got 0.1)']],
  ['pid.integralMax', { ...d, pid: { ...d.pid, integralMax: -0.1 } }, ['actuator.pid.integralMax: must be >= 0 (got -0.1)']],
  ['pid.outputMin', { ...d, pid: { ...d.pid, outputMin: -1 } }, ['actuator.pid.outputMin: must be >= -0.9 (got -1)']],
  ['pid.outputMax', { ...d, pid: { ...d.pid, outputMax: 1 } }, ['actuator.pid.outputMax: must be <= 0.95 (got 1)']],
  ['topk.minK', { ...d, topk: { ...d.topk, minK: 0 } }, ['actuator.topk.minK: must be >= 1 (got 0)']],
  ['topk.maxK', { ...d, topk: { ...d.topk, maxK: 100001 } }, ['actuator.topk.maxK: must be <= 100000 (got 100001)']],
  ['topk.initialK', { ...d, topk: { ...d.topk, initialK: 1.5 } }, ['actuator.topk.initialK: must be an integer (got 1.5)']],
  ['topk.deadband', { ...d, topk: { ...d.topk, deadband: 0.6 } }, ['actuator.topk.deadband: must be <= 0.5 (got 0.6)']],
];

describe('validateActuatorConfig', () => {
  it('the defaults are valid', () => {
    expect(d).toEqual({
      targetSeries: 20000,
      headroom: 0.05,
      hysteresis: 0.1,
      dwellSeconds: 60,
      intervalSeconds: 15,
      maxKpiAgeSeconds: 45,
      pid: { kp: 0.5, ki: 0.02, kd: 2, integralMin: -0.3, integralMax: 0.5, outputMin: -0.3, outputMax: 0.6 },
      topk: { minK: 1, maxK: 10000, initialK: 20, deadband: 0.02 },
      stabilityWindowSeconds: 3600,
    });
    expect(validateActuatorConfig(d)).toEqual([]);
  });

  it.each(BAD)('a bad %s: the message names the key', (_key, c, messages) => {
    expect(validateActuatorConfig(c)).toEqual(messages);
  });

  it('checks between keys: min k <= max k, the initial k within them, integral min <= max', () => {
    expect(validateActuatorConfig({ ...d, topk: { ...d.topk, minK: 50, maxK: 10 } })).toEqual([
      'actuator.topk.minK: must be <= actuator.topk.maxK (10)',
      'actuator.topk.initialK: must be within [actuator.topk.minK, actuator.topk.maxK]',
    ]);
    expect(validateActuatorConfig({ ...d, pid: { ...d.pid, integralMin: -0.1, integralMax: -0.2 } })).toEqual([
      'actuator.pid.integralMin: must be <= actuator.pid.integralMax',
      'actuator.pid.integralMax: must be >= 0 (got -0.2)',
    ]);
  });

  it('every key has a case; the PID validator alone takes its own prefix', () => {
    expect(BAD.map(([k]) => k).sort()).toEqual(leafKeys(d).sort());
    expect(validatePidConfig(defaultPidConfig)).toEqual([]);
    expect(validatePidConfig({ ...defaultPidConfig, kp: -1, outputMax: 2 })).toEqual(['pid.kp: must be >= 0 (got -1)', 'pid.outputMax: must be <= 0.95 (got 2)']);
  });
});
