import { ManualClock } from '@phoenix/runtime';
import type { ControlKpis } from '@phoenix/contracts';
import { Actuator, type KpiReading } from './actuator';
import type { Setting } from './options';
import { defaultActuatorConfig, type ActuatorConfig } from './config';

const cfg: ActuatorConfig = { ...defaultActuatorConfig, dwellSeconds: 60, intervalSeconds: 15 };

function reading(clock: ManualClock, full: number, opts: { active?: number; streams?: number; generation?: number; topk?: number; ageMs?: number } = {}): KpiReading {
  const kpis: ControlKpis = {
    observed_at: new Date(clock.now()).toISOString(),
    age_seconds: 0,
    source: 'core',
    series: { full_fidelity: full, optimized: full * 0.55 },
    optimized_series_by_profile: { conservative: full * 0.8, balanced: full * 0.55, aggressive: full * 0.35 },
    topk_streams: opts.streams ?? 60,
  };
  if (opts.topk !== undefined) kpis.series.experimental_topk = opts.topk;
  if (opts.active !== undefined) kpis.active_series = opts.active;
  if (opts.generation !== undefined) kpis.in_force = { generation: opts.generation };
  return { kpis, observedAtMs: clock.now() - (opts.ageMs ?? 1000) };
}

describe('Actuator (pure decision logic, injected clock)', () => {
  it('starts in the least lossy mode and keeps it while it fits', () => {
    const clock = new ManualClock();
    const a = new Actuator(cfg, clock);
    const d = a.step({ reading: reading(clock, 15000) });
    expect(d).toMatchObject({ action: 'keep', changed: false, setting: { mode: 'conservative' }, source: 'actuator' });
    expect(d.reason).toContain('conservative fits: predicted 15000 series <= budget 19000 (target 20000)');
  });

  it('picks the least lossy option whose predicted series fit: each optimized profile, then aggressive', () => {
    const cases: [number, Partial<Setting>][] = [
      [19000, { mode: 'conservative' }],
      [23000, { mode: 'balanced', profile: 'conservative' }], // 18400
      [30000, { mode: 'balanced', profile: 'balanced' }], // 16500
      [50000, { mode: 'balanced', profile: 'aggressive' }], // 17500
      [60000, { mode: 'aggressive', k: 314 }], // 21000 > budget; k = 19000/60 - 2
    ];
    for (const [full, want] of cases) {
      const clock = new ManualClock();
      const d = new Actuator(cfg, clock).step({ reading: reading(clock, full) });
      expect(d.setting).toMatchObject(want);
    }
  });

  it('explains the decision in the reason', () => {
    const clock = new ManualClock();
    const d = new Actuator(cfg, clock).step({ reading: reading(clock, 75000, { active: 75000 }) });
    expect(d.action).toBe('transition');
    expect(d.reason).toMatch(/^active series 75000; balanced\/aggressive would expose 26250 series > budget 19000: aggressive \(k=314\), predicted 18960 series for budget 19000 \(target 20000\); error 2\.750/);
  });

  it('hysteresis: goes back to a less lossy option only with extra room', () => {
    const clock = new ManualClock();
    const a = new Actuator(cfg, clock);
    a.step({ reading: reading(clock, 20000) });
    expect(a.current().mode).toBe('balanced');
    clock.advance(120_000);
    expect(a.step({ reading: reading(clock, 18000) }).setting.mode).toBe('balanced'); // 18000 > 19000 x 0.9
    clock.advance(15_000);
    expect(a.step({ reading: reading(clock, 17000) }).setting.mode).toBe('conservative'); // 17000 <= 17100
  });

  it('dwell: at most one transition per dwell period, and it says so', () => {
    const clock = new ManualClock();
    const a = new Actuator(cfg, clock);
    expect(a.step({ reading: reading(clock, 20000) }).transition).toBe(true);
    clock.advance(15_000);
    const held = a.step({ reading: reading(clock, 10000) });
    expect(held.transition).toBe(false);
    expect(held.setting.mode).toBe('balanced');
    expect(held.reason).toMatch(/conservative wanted but dwell holds balanced\/conservative for 45s more/);
    expect(a.dwellRemainingSeconds()).toBe(45);
    clock.advance(45_000);
    expect(a.step({ reading: reading(clock, 10000) }).setting.mode).toBe('conservative');
  });

  it('absent or stale KPIs: holds the last decision and says so', () => {
    const clock = new ManualClock();
    const a = new Actuator(cfg, clock);
    a.step({ reading: reading(clock, 75000) });
    const before = a.current();
    clock.advance(15_000);
    const absent = a.step({});
    expect(absent).toMatchObject({ action: 'hold', changed: false, holdReason: 'KPIs absent', setting: before });
    expect(absent.reason).toBe('holding aggressive (k=314): KPIs absent');
    const stale = a.step({ reading: reading(clock, 10000, { ageMs: 46_000 }) });
    expect(stale).toMatchObject({ action: 'hold', setting: before });
    expect(stale.holdReason).toBe('KPIs stale (age 46s > 45s)');
    const incomplete = a.step({ reading: { kpis: { observed_at: 'x', age_seconds: 0, source: 'core', series: {} }, observedAtMs: clock.now() } });
    expect(incomplete.holdReason).toMatch(/incomplete/);
  });

  it('an override pins the mode (dwell does not hold it back) and the target; it ends by itself', () => {
    const clock = new ManualClock();
    const a = new Actuator(cfg, clock);
    a.step({ reading: reading(clock, 20000) }); // transition: balanced
    clock.advance(1000);
    const ov = { mode: 'aggressive' as const, k: 7, reason: 'incident', setAtMs: clock.now(), expiresAtMs: clock.now() + 60_000 };
    const d = a.step({ reading: reading(clock, 5000), override: ov });
    expect(d).toMatchObject({ action: 'override', source: 'override', setting: { mode: 'aggressive', k: 7 } });
    const t = a.step({ reading: reading(clock, 5000), override: { reason: 'budget', targetSeries: 3000, setAtMs: clock.now(), expiresAtMs: clock.now() + 60_000 } });
    // Coming from aggressive, balanced(balanced) 2750 fits the budget 2850 but not with the hysteresis room (2565).
    expect(t.setting).toMatchObject({ mode: 'balanced', profile: 'aggressive', targetSeries: 3000 });
    clock.advance(61_000);
    const after = a.step({ reading: reading(clock, 5000), override: ov }); // expired: ignored
    expect(after).toMatchObject({ source: 'actuator', setting: { mode: 'conservative', targetSeries: 20000 } });
  });

  it('an override still applies while KPIs are absent', () => {
    const clock = new ManualClock();
    const a = new Actuator(cfg, clock);
    const d = a.step({ override: { mode: 'balanced', reason: 'x', setAtMs: clock.now(), expiresAtMs: clock.now() + 1000 } });
    expect(d).toMatchObject({ action: 'override', source: 'override', setting: { mode: 'balanced' }, holdReason: 'KPIs absent' });
  });

  it('k: the PID trims it from the measured active series; small moves inside the deadband are not written', () => {
    const clock = new ManualClock();
    const a = new Actuator(cfg, clock);
    a.step({ reading: reading(clock, 75000) });
    expect(a.current().k).toBe(314);
    // The model under-predicts by 10%: measured 20856 > target -> k goes down.
    clock.advance(15_000);
    const down = a.step({ reading: reading(clock, 75000, { active: 20856, generation: 2 }), writtenGeneration: 2 });
    expect(down.action).toBe('adjust');
    expect(down.setting.k).toBeLessThan(314);
    expect(a.pidTerms().output).toBeGreaterThan(0);
  });

  it('k moves inside the deadband are not written', () => {
    const clock = new ManualClock();
    const a = new Actuator(cfg, clock);
    a.step({ reading: reading(clock, 75000) });
    clock.advance(15_000);
    // The model was right (60 x 316 = 18960): the PID asks for k = 315, within 2% of 314.
    const same = a.step({ reading: reading(clock, 75000, { active: 18960, generation: 2 }), writtenGeneration: 2 });
    expect(same).toMatchObject({ action: 'keep', changed: false, setting: { k: 314 } });
  });

  it('the top-k model is calibrated by the output measured at the k in force (series it does not model)', () => {
    const clock = new ManualClock();
    const a = new Actuator({ ...cfg, targetSeries: 400 }, clock);
    // 8 streams; at k = 20 the core measured 292 = 8 x 22 + 116 (non-process series, count series...).
    const r = reading(clock, 1200, { streams: 8, topk: 292 });
    r.kpis.optimized_series_by_profile = { conservative: 1200, balanced: 1200, aggressive: 1200 };
    r.kpis.in_force = { k: 20 };
    const d = a.step({ reading: r });
    expect(d.setting).toMatchObject({ mode: 'aggressive', k: 31 }); // (380 - 116) / 8 - 2
    expect(d.predictedSeries).toBe(8 * 33 + 116);
  });

  it('staying in aggressive, k only moves the way the measured error asks (no flip-flop on noise)', () => {
    const clock = new ManualClock();
    const a = new Actuator(cfg, clock);
    a.step({ reading: reading(clock, 75000) }); // k = 314
    // Over the setpoint (19000 x ... ) but the PID output dips: k must not go up.
    for (const active of [19400, 19300, 19450, 19350]) {
      clock.advance(15_000);
      const d = a.step({ reading: reading(clock, 75000, { active, topk: active, generation: 1 }), writtenGeneration: 1 });
      expect(d.setting.k).toBeLessThanOrEqual(314);
    }
  });

  it('the PID learns only from readings of the setting in force (generation applied, taken after the change)', () => {
    const clock = new ManualClock();
    const a = new Actuator(cfg, clock);
    a.step({ reading: reading(clock, 75000) }); // transition, PID reset
    clock.advance(15_000);
    a.step({ reading: reading(clock, 75000, { active: 30000, generation: 1 }), writtenGeneration: 2 }); // core still on gen 1
    expect(a.pidTerms()).toMatchObject({ p: 0, i: 0, output: 0 });
    const old = reading(clock, 75000, { active: 30000, generation: 2 });
    old.observedAtMs = clock.now() - 20_000; // taken before the change
    a.step({ reading: old, writtenGeneration: 2 });
    expect(a.pidTerms().output).toBe(0);
    clock.advance(1000);
    a.step({ reading: reading(clock, 75000, { active: 30000, generation: 2 }), writtenGeneration: 2 });
    expect(a.pidTerms().output).toBeGreaterThan(0);
  });

  it('never throws on odd KPIs (negative, NaN, Infinity, missing profiles and streams)', () => {
    const clock = new ManualClock();
    const a = new Actuator(cfg, clock);
    const odd: ControlKpis[] = [
      { observed_at: '', age_seconds: 0, source: 'core', series: { full_fidelity: NaN } },
      { observed_at: '', age_seconds: 0, source: 'core', series: { full_fidelity: Infinity } },
      { observed_at: '', age_seconds: 0, source: 'core', series: { full_fidelity: 1e9 }, topk_streams: 0 },
      { observed_at: '', age_seconds: 0, source: 'core', series: { full_fidelity: 0 } },
    ];
    for (const kpis of odd) {
      clock.advance(120_000);
      const d = a.step({ reading: { kpis, observedAtMs: clock.now() } });
      expect(d.setting.k).toBeGreaterThanOrEqual(1);
      expect(Number.isInteger(d.setting.k)).toBe(true);
    }
  });

  it('stability score falls with transitions', () => {
    const clock = new ManualClock();
    const a = new Actuator({ ...cfg, stabilityWindowSeconds: 600 }, clock);
    expect(a.stabilityScore()).toBe(1);
    a.step({ reading: reading(clock, 75000) });
    expect(a.stabilityScore()).toBeCloseTo(0.9); // 1 of at most 10 in 600 s with a 60 s dwell
    clock.advance(601_000);
    expect(a.stabilityScore()).toBe(1);
  });
});
