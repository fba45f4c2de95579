import { sample } from '../../test/samples';
import type { BenchmarkSample } from '@phoenix/contracts';
import { analyzeControl, detectTransitions, moreLossy, settlingAfter } from './control';

const at = (t: number, mode: BenchmarkSample['mode'], active: number, profile: BenchmarkSample['profile'] = 'balanced', extra: Partial<BenchmarkSample> = {}): BenchmarkSample =>
  sample(t, { mode, profile, active_series: active, target_series: 100, series: { full_fidelity: 400 }, ...extra });

describe('control analyzer', () => {
  it('transitions: a mode change, or a profile change while balanced; not a profile change in another mode', () => {
    const ts = detectTransitions([
      at(0, 'conservative', 50),
      at(5, 'conservative', 60, 'conservative'), // profile changes while conservative: not a transition
      at(10, 'balanced', 90, 'conservative'),
      at(15, 'balanced', 80, 'aggressive'), // profile within balanced: a transition
      at(20, 'aggressive', 70, 'aggressive', { k: 12, generation: 7 }),
      at(25, 'aggressive', 70, 'balanced'), // profile while aggressive: not one
    ]);
    expect(ts.map((t) => [t.offset_seconds, `${t.from_mode}/${t.from_profile}`, `${t.to_mode}/${t.to_profile}`])).toEqual([
      [10, 'conservative/conservative', 'balanced/conservative'],
      [15, 'balanced/conservative', 'balanced/aggressive'],
      [20, 'balanced/aggressive', 'aggressive/aggressive'],
    ]);
    expect(ts[2]).toMatchObject({ k: 12, generation: 7 });
  });

  it('samples without a mode (a failed reading) neither start nor end a transition', () => {
    const ts = detectTransitions([at(0, 'conservative', 50), sample(5, {}), at(10, 'conservative', 50), sample(15, {}), at(20, 'aggressive', 50)]);
    expect(ts).toHaveLength(1);
    expect(ts[0]).toMatchObject({ offset_seconds: 20, from_mode: 'conservative', to_mode: 'aggressive' });
  });

  it('settling: from the step until within the budget for good (hand-computed)', () => {
    const samples = [at(0, 'conservative', 50), at(30, 'conservative', 300), at(40, 'balanced', 150), at(50, 'aggressive', 90), at(60, 'aggressive', 120), at(70, 'aggressive', 95), at(80, 'aggressive', 95)];
    // Step at 25: last over-budget sample at 60 -> settled from 70 -> 45 s.
    expect(settlingAfter(samples, 25, 1000, 100)).toBe(45);
    // With a 25% band, 120 is within (<= 125): last over is 40 -> settled from 50 -> 25 s.
    expect(settlingAfter(samples, 25, 1000, 100, 0.25)).toBe(25);
    // Never over the budget: 0.
    expect(settlingAfter(samples, 65, 1000, 100)).toBe(0);
    // Over the budget at the end of the window: never settled.
    expect(settlingAfter(samples, 25, 65, 100)).toBeNull();
    // No reading in the window: null.
    expect(settlingAfter(samples, 200, 300, 100)).toBeNull();
  });

  it('settling with a hold time: the first stretch in the band that lasts it; later excursions do not unsettle', () => {
    const samples = [
      at(0, 'conservative', 300), // step at 0: over
      at(10, 'aggressive', 90), // in, but only for 10 s
      at(20, 'aggressive', 90),
      at(30, 'aggressive', 130), // out again
      at(40, 'aggressive', 95), // in from here ...
      at(50, 'aggressive', 95),
      at(60, 'aggressive', 98), // ... for 20 s: settled at 40
      at(70, 'aggressive', 500), // a later excursion: the overshoot's business
      at(80, 'aggressive', 90),
    ];
    expect(settlingAfter(samples, 0, 1000, 100, 0, 20)).toBe(40);
    expect(settlingAfter(samples, 0, 1000, 100, 0, 10)).toBe(10); // a 10 s hold is met by the first stretch
    expect(settlingAfter(samples, 0, 1000, 100, 0.3, 20)).toBe(10); // 130 is in a 30% band
    // The window ends before the hold time: settled if it stayed in the band until the end.
    expect(settlingAfter(samples, 0, 55, 100, 0, 60)).toBe(40);
    expect(settlingAfter(samples, 0, 1000, 100, 0, 60)).toBe(80); // 40..60 breaks at 70; 80 holds to the end
  });

  it('the whole picture: modes, budget at the end, overshoot, time over budget, steps, flaps (hand-computed)', () => {
    const samples = [
      at(0, 'conservative', 50),
      at(10, 'conservative', 250), // step at 5: 150% over
      at(20, 'aggressive', 90),
      at(30, 'aggressive', 95),
      at(40, 'conservative', 40), // step down at 35
      at(50, 'aggressive', 98), // back within 10 s of the previous transition: a flap (aggressive -> conservative -> aggressive)
      at(60, 'aggressive', 99),
    ];
    const c = analyzeControl(samples, {
      budgetSeries: 100,
      steps: [
        { atSeconds: 5, kind: 'up', phase: 'spike' },
        { atSeconds: 35, kind: 'down', phase: 'recovery' },
      ],
      flapWindowSeconds: 15,
      settlingTolerance: 0,
      settlingHoldSeconds: 60,
    });
    expect(c.transitions_total).toBe(3);
    expect(c.modes_seen).toEqual(['conservative', 'aggressive']);
    expect(c).toMatchObject({ initial_mode: 'conservative', final_mode: 'aggressive', peak_mode: 'aggressive', final_active_series: 99, ended_within_budget: true });
    expect(c.overshoot_ratio).toBeCloseTo(1.5, 12);
    expect(c.time_over_budget_seconds).toBe(10); // the sample at 10 s, until the next one
    // Step up at 5 (window until the end: a down step does not end it): over at 10, settled from 20 -> 15 s.
    expect(c.steps).toEqual([
      { at_seconds: 5, kind: 'up', phase: 'spike', settled_after_seconds: 15 },
      { at_seconds: 35, kind: 'down', phase: 'recovery', settled_after_seconds: 0 },
    ]);
    expect(c.max_settling_seconds).toBe(15);
    expect(c.flaps).toBe(1);
    expect(c.settling_tolerance).toBe(0);
    expect(c.settling_hold_seconds).toBe(60);
  });

  it('ending over the budget', () => {
    const c = analyzeControl([at(0, 'conservative', 50), at(5, 'conservative', 101)], { budgetSeries: 100, steps: [], flapWindowSeconds: 60, settlingTolerance: 0.02, settlingHoldSeconds: 60 });
    expect(c.ended_within_budget).toBe(false);
    expect(c.max_settling_seconds).toBeNull();
  });

  it('the budget comes from each sample (target_series in force), else the run budget', () => {
    const c = analyzeControl([sample(0, { mode: 'conservative', active_series: 150, target_series: 200 }), sample(5, { mode: 'conservative', active_series: 150 })], {
      budgetSeries: 100,
      steps: [],
      flapWindowSeconds: 60,
      settlingTolerance: 0,
      settlingHoldSeconds: 60,
    });
    expect(c.overshoot_ratio).toBeCloseTo(0.5, 12); // only the second sample is over (its budget: the run's 100)
    expect(c.ended_within_budget).toBe(false);
  });

  it('no samples: nothing measured', () => {
    const c = analyzeControl([], { budgetSeries: 100, steps: [{ atSeconds: 30, kind: 'up' }], flapWindowSeconds: 60, settlingTolerance: 0, settlingHoldSeconds: 60 });
    expect(c).toMatchObject({
      transitions_total: 0,
      initial_mode: null,
      final_mode: null,
      peak_mode: null,
      final_active_series: null,
      ended_within_budget: null,
      overshoot_ratio: null,
      time_over_budget_seconds: 0,
      max_settling_seconds: null,
      flaps: 0,
    });
    expect(c.steps[0].settled_after_seconds).toBeNull();
  });

  it('mode order', () => {
    expect(moreLossy('conservative', 'balanced')).toBe('balanced');
    expect(moreLossy('aggressive', 'balanced')).toBe('aggressive');
  });
});
