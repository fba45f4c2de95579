import type { BenchmarkModeName, BenchmarkResult, BenchmarkSloCheck, BenchmarkSloReport, ScenarioSlo } from '@phoenix/contracts';
import { preservationScore } from './ratios';

/** The scores an SLO report is computed from (a result without its SLO verdict). */
export type Scores = Pick<BenchmarkResult, 'control' | 'cost_reduction' | 'totals_preservation' | 'heavy_hitter_recall'>;

/** Tolerance for floating-point noise in ratios that should be exact. */
const EPS = 1e-9;

function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  return String(Number(v.toFixed(digits)));
}

function modes(list: readonly BenchmarkModeName[]): string {
  return list.length === 1 ? list[0] : `one of ${list.join(', ')}`;
}

/** Checks every SLO the scenario states against the scores; a value that could not be measured fails its SLO. */
export function evaluateSlo(slo: ScenarioSlo, s: Scores): BenchmarkSloReport {
  const checks: BenchmarkSloCheck[] = [];
  const add = (name: string, expected: string, actual: string, passed: boolean): void => {
    checks.push({ name, expected, actual, passed });
  };
  if (slo.final_modes) {
    const m = s.control.final_mode;
    add('final_mode', modes(slo.final_modes), m ?? 'n/a', m !== null && slo.final_modes.includes(m));
  }
  if (slo.peak_modes) {
    const m = s.control.peak_mode;
    add('peak_mode', modes(slo.peak_modes), m ?? 'n/a', m !== null && slo.peak_modes.includes(m));
  }
  if (slo.min_cost_reduction !== undefined) {
    const v = s.cost_reduction.active.mean;
    add('cost_reduction', `>= ${slo.min_cost_reduction}`, fmt(v), v !== null && v >= slo.min_cost_reduction - EPS);
  }
  if (slo.min_totals_preservation !== undefined) {
    const v = preservationScore(s.totals_preservation.active.worst);
    add('totals_preservation', `>= ${slo.min_totals_preservation}`, fmt(v, 9), v !== null && v >= slo.min_totals_preservation - EPS);
  }
  if (slo.min_heavy_hitter_recall !== undefined) {
    const v = s.heavy_hitter_recall.active.recall;
    add('heavy_hitter_recall', `>= ${slo.min_heavy_hitter_recall}`, fmt(v), v !== null && v >= slo.min_heavy_hitter_recall - EPS);
  }
  if (slo.max_transitions !== undefined) {
    const v = s.control.transitions_total;
    add('transitions', `<= ${slo.max_transitions}`, String(v), v <= slo.max_transitions);
  }
  if (slo.max_settling_seconds !== undefined) {
    const limit = slo.max_settling_seconds;
    const steps = s.control.steps;
    const never = steps.filter((st) => st.settled_after_seconds === null);
    const worst = s.control.max_settling_seconds;
    const actual = steps.length === 0 ? 'no load step' : never.length > 0 ? `never settled after the step at ${fmt(never[0].at_seconds, 1)} s` : `${fmt(worst, 1)} s`;
    add('settling_seconds', `<= ${limit} s after each step`, actual, never.length === 0 && (worst === null || worst <= limit));
  }
  if (slo.end_within_budget !== undefined) {
    const v = s.control.ended_within_budget;
    const actual = v === null ? 'n/a' : `${v ? 'within' : 'over'} the budget (${fmt(s.control.final_active_series, 0)} series)`;
    add('end_within_budget', slo.end_within_budget ? 'within the budget' : 'any', actual, slo.end_within_budget ? v === true : true);
  }
  return { checks, passed: checks.every((c) => c.passed) };
}
