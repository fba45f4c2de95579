import type { BenchmarkControl, ScenarioSlo } from '@phoenix/contracts';
import { evaluateSlo, type Scores } from './slo';

function scores(over: { control?: Partial<BenchmarkControl>; cost?: number | null; totals?: number | null; recall?: number | null } = {}): Scores {
  const control: BenchmarkControl = {
    transitions: [],
    transitions_total: 2,
    modes_seen: ['conservative', 'aggressive'],
    initial_mode: 'conservative',
    final_mode: 'conservative',
    peak_mode: 'aggressive',
    final_active_series: 90,
    ended_within_budget: true,
    overshoot_ratio: 0.5,
    time_over_budget_seconds: 10,
    steps: [{ at_seconds: 30, kind: 'up', settled_after_seconds: 20 }],
    max_settling_seconds: 20,
    settling_tolerance: 0.02,
    settling_hold_seconds: 60,
    flaps: 0,
    flap_window_seconds: 60,
    actuator_history: 'read',
    ...over.control,
  };
  const stats = (v: number | null) => ({ probes: 3, eligible: 30, hits: 30, recall: v, min: v, final: v, missed: [] });
  const ratio = (v: number | null) => ({ samples: 5, worst: v, mean: v, final: v });
  return {
    control,
    cost_reduction: { optimized: { mean: null, final: null }, experimental_topk: { mean: null, final: null }, active: { mean: over.cost === undefined ? 0.6 : over.cost, final: null } },
    totals_preservation: { full_fidelity: ratio(1), optimized: ratio(1), experimental_topk: ratio(1), active: ratio(over.totals === undefined ? 1 : over.totals) },
    heavy_hitter_recall: { top_n: 10, min_age_seconds: 25, active: stats(over.recall === undefined ? 1 : over.recall), experimental_topk: stats(1) },
  };
}

const ALL: ScenarioSlo = {
  final_modes: ['conservative'],
  peak_modes: ['balanced', 'aggressive'],
  min_cost_reduction: 0.5,
  min_totals_preservation: 1,
  min_heavy_hitter_recall: 1,
  max_transitions: 3,
  max_settling_seconds: 30,
  end_within_budget: true,
};

describe('SLO evaluation', () => {
  it('every SLO held: passed, one check per SLO', () => {
    const r = evaluateSlo(ALL, scores());
    expect(r.passed).toBe(true);
    expect(r.checks.map((c) => c.name)).toEqual([
      'final_mode',
      'peak_mode',
      'cost_reduction',
      'totals_preservation',
      'heavy_hitter_recall',
      'transitions',
      'settling_seconds',
      'end_within_budget',
    ]);
    expect(r.checks.find((c) => c.name === 'peak_mode')).toMatchObject({ expected: 'one of balanced, aggressive', actual: 'aggressive' });
  });

  it('each SLO fails on its own', () => {
    const failing = (s: Scores) => evaluateSlo(ALL, s).checks.filter((c) => !c.passed).map((c) => c.name);
    expect(failing(scores({ control: { final_mode: 'aggressive' } }))).toEqual(['final_mode']);
    expect(failing(scores({ control: { peak_mode: 'conservative' } }))).toEqual(['peak_mode']);
    expect(failing(scores({ cost: 0.49 }))).toEqual(['cost_reduction']);
    expect(failing(scores({ totals: 0.999 }))).toEqual(['totals_preservation']);
    expect(failing(scores({ totals: 1.001 }))).toEqual(['totals_preservation']);
    expect(failing(scores({ recall: 0.9 }))).toEqual(['heavy_hitter_recall']);
    expect(failing(scores({ control: { transitions_total: 4 } }))).toEqual(['transitions']);
    expect(failing(scores({ control: { max_settling_seconds: 31 } }))).toEqual(['settling_seconds']);
    expect(failing(scores({ control: { ended_within_budget: false } }))).toEqual(['end_within_budget']);
  });

  it('a step that never settled fails the settling SLO whatever the other steps did', () => {
    const r = evaluateSlo(ALL, scores({ control: { steps: [{ at_seconds: 30, kind: 'up', settled_after_seconds: null }, { at_seconds: 90, kind: 'down', settled_after_seconds: 0 }], max_settling_seconds: 0 } }));
    expect(r.checks.find((c) => c.name === 'settling_seconds')).toMatchObject({ passed: false, actual: 'never settled after the step at 30 s' });
  });

  it('what could not be measured fails its SLO (n/a), and floating-point noise does not', () => {
    const r = evaluateSlo(ALL, scores({ recall: null, cost: null, control: { final_mode: null, ended_within_budget: null } }));
    expect(r.checks.filter((c) => c.actual === 'n/a').map((c) => c.name)).toEqual(['final_mode', 'cost_reduction', 'heavy_hitter_recall', 'end_within_budget']);
    expect(r.passed).toBe(false);
    expect(evaluateSlo({ min_totals_preservation: 1 }, scores({ totals: 1 + 1e-12 })).passed).toBe(true);
  });

  it('no step: the settling SLO holds', () => {
    expect(evaluateSlo({ max_settling_seconds: 10 }, scores({ control: { steps: [], max_settling_seconds: null } })).checks[0]).toMatchObject({ passed: true, actual: 'no load step' });
  });
});
