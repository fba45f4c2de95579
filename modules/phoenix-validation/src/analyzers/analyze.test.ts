import { sample } from '../../test/samples';
import { type BenchmarkControlTransition, type ControlHistoryEntry, type ScenarioDefinition, validateBenchmarkResult } from '@phoenix/contracts';
import { analyzeRun, attachReasons, summarize, type AnalysisInput } from './analyze';

const entry = (id: number, at: string, to_mode: ControlHistoryEntry['to_mode'], to_profile: ControlHistoryEntry['to_profile'], reason: string, kind: ControlHistoryEntry['kind'] = 'transition'): ControlHistoryEntry => ({
  id,
  at,
  kind,
  to_mode,
  to_profile,
  to_k: 20,
  target_series: 100,
  source: 'actuator',
  reason,
});

const transition = (offset: number, at: string, to_mode: BenchmarkControlTransition['to_mode'], to_profile: BenchmarkControlTransition['to_profile'] = 'balanced'): BenchmarkControlTransition => ({
  at,
  offset_seconds: offset,
  from_mode: 'conservative',
  to_mode,
  from_profile: 'balanced',
  to_profile,
});

const scenario: ScenarioDefinition = {
  name: 'unit',
  description: 'unit test scenario',
  profile: 'spike',
  duration_seconds: 60,
  slo: { final_modes: ['aggressive'], min_totals_preservation: 1, max_transitions: 2, end_within_budget: true },
};

function input(over: Partial<AnalysisInput> = {}): AnalysisInput {
  return {
    runId: '20260101T000000Z-abcd1234',
    scenario,
    timeScale: 0.5,
    environment: 'ci',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:30.000Z',
    wallSeconds: 30,
    budgetSeries: 100,
    fleet: { profile_hosts: 10, hosts: 2, host_scale: 0.2, reference_target_series: 500, peak_processes_per_host: 400, export_interval_seconds: 5, seed: 42, driver: 'load_api' },
    dataSource: { kind: 'direct', url: 'http://127.0.0.1:8891/metrics' },
    samples: [
      sample(0, { series: { full_fidelity: 80, optimized: 40, experimental_topk: 30 }, active_pipeline: 'full_fidelity', active_series: 80, mode: 'conservative', profile: 'balanced', target_series: 100, totals_preservation: { full_fidelity: 1, optimized: 1, experimental_topk: 1 } }),
      sample(30, { series: { full_fidelity: 400, optimized: 200, experimental_topk: 90 }, active_pipeline: 'experimental_topk', active_series: 90, mode: 'aggressive', profile: 'balanced', k: 10, target_series: 100, totals_preservation: { full_fidelity: 1, optimized: 1, experimental_topk: 1 } }),
    ],
    probes: [{ at: '2026-01-01T00:00:15.000Z', offset_seconds: 30, hosts: 2, eligible: 20, active_hits: 20, topk_hits: 19, freshness_seconds: 0.02 }],
    steps: [{ atSeconds: 20, kind: 'up', phase: 'spike' }],
    flapWindowSeconds: 60,
    settlingTolerance: 0.02,
    settlingHoldSeconds: 60,
    recallTopN: 10,
    recallMinAgeSeconds: 25,
    prices: { currency: 'USD', environment: 'ci', pricePerSeriesMonth: 0.05, pricePerMillionSamples: 0.1, scrapeIntervalSeconds: 15 },
    actuator: { status: 'not_configured' },
    warnings: [],
    ...over,
  };
}

describe('analyzeRun', () => {
  it('assembles a result that matches benchmark_result.schema.json, judged against the SLOs', () => {
    const r = analyzeRun(input());
    const v = validateBenchmarkResult(r);
    expect(v.ok ? [] : v.errors).toEqual([]);
    expect(r).toMatchObject({ scenario: 'unit', profile: 'spike', scenario_seconds: 60, budget_series: 100, passed: true });
    expect(r.control.transitions).toHaveLength(1);
    expect(r.control.final_mode).toBe('aggressive');
    expect(r.heavy_hitter_recall.active.recall).toBe(1);
    expect(r.freshness.p50_seconds).toBe(0.02);
    expect(r.control.actuator_history).toBe('not_configured');
    expect(summarize(r)).toEqual({
      passed: true,
      slo_failed: [],
      peak_mode: 'aggressive',
      final_mode: 'aggressive',
      cost_reduction: 1 - 85 / 240,
      totals_preservation: 1,
      heavy_hitter_recall: 1,
      transitions: 1,
      max_settling_seconds: 0,
      monthly_cost_saved: r.cost.saved.total,
      currency: 'USD',
    });
  });

  it('an empty run still gives a valid result (everything null), and says why', () => {
    const r = analyzeRun(input({ samples: [], probes: [], actuator: { status: 'unavailable', error: 'ECONNREFUSED' } }));
    const v = validateBenchmarkResult(r);
    expect(v.ok ? [] : v.errors).toEqual([]);
    expect(r.passed).toBe(false);
    expect(r.warnings).toEqual(expect.arrayContaining(['no KPI sample could be read during the run', 'control API history unavailable: ECONNREFUSED']));
    expect(r.control.actuator_history).toBe('unavailable');
  });

  it('attaches the actuator reason of each transition from the control history', () => {
    const entries = [
      entry(1, '2026-01-01T00:00:01.000Z', 'conservative', 'balanced', 'start'),
      entry(2, '2026-01-01T00:00:09.000Z', 'balanced', 'conservative', 'too many series: balanced'),
      entry(3, '2026-01-01T00:00:19.500Z', 'aggressive', 'conservative', 'far over: aggressive k=10'),
      entry(4, '2026-01-01T00:00:25.000Z', 'aggressive', 'conservative', 'k adjusted', 'adjustment'),
    ];
    const out = attachReasons(
      [transition(10, '2026-01-01T00:00:10.000Z', 'balanced', 'conservative'), transition(20, '2026-01-01T00:00:20.000Z', 'aggressive', 'conservative'), transition(40, '2026-01-01T00:00:40.000Z', 'balanced', 'balanced')],
      entries,
    );
    expect(out.map((t) => t.reason)).toEqual(['too many series: balanced', 'far over: aggressive k=10', undefined]);
  });

  it('an actuator entry a little after the core was seen in the mode still matches (clock skew slack)', () => {
    const out = attachReasons([transition(10, '2026-01-01T00:00:10.000Z', 'aggressive')], [entry(1, '2026-01-01T00:00:11.000Z', 'aggressive', 'balanced', 'late clock')]);
    expect(out[0].reason).toBe('late clock');
  });
});
