import type {
  BenchmarkControlTransition,
  BenchmarkDataSource,
  BenchmarkFleet,
  BenchmarkProbe,
  BenchmarkResult,
  BenchmarkRunSummary,
  BenchmarkSample,
  ControlHistoryEntry,
  ScenarioDefinition,
} from '@phoenix/contracts';
import { analyzeControl, type StepInput } from './control';
import { estimateCost, type Prices } from './cost';
import { analyzeFreshness } from './freshness';
import { analyzeRatio, preservationScore } from './ratios';
import { analyzeRecall } from './recall';
import { analyzeResources } from './resources';
import { analyzeCostReduction, analyzeSeries } from './series';
import { evaluateSlo } from './slo';

export type ActuatorHistory =
  | { status: 'read'; entries: readonly ControlHistoryEntry[] }
  | { status: 'unavailable'; error: string }
  | { status: 'not_configured' };

/** Everything a run collected, and how to judge it. */
export interface AnalysisInput {
  runId: string;
  scenario: ScenarioDefinition;
  timeScale: number;
  environment: string;
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  budgetSeries: number;
  fleet: BenchmarkFleet;
  dataSource: BenchmarkDataSource;
  samples: readonly BenchmarkSample[];
  probes: readonly BenchmarkProbe[];
  steps: readonly StepInput[];
  flapWindowSeconds: number;
  settlingTolerance: number;
  settlingHoldSeconds: number;
  recallTopN: number;
  recallMinAgeSeconds: number;
  prices: Prices;
  actuator: ActuatorHistory;
  warnings: readonly string[];
}

/**
 * The actuator's reason for each transition seen: the newest actuator history entry that moved to the same
 * mode (and profile when balanced) at or before the moment the core was seen in it (with a little slack for
 * clock skew), and after the previous transition seen.
 */
export function attachReasons(transitions: readonly BenchmarkControlTransition[], entries: readonly ControlHistoryEntry[], slackMs = 2000): BenchmarkControlTransition[] {
  const candidates = entries
    .filter((e) => e.kind === 'transition' || e.kind === 'override_set' || e.kind === 'override_cleared' || e.kind === 'override_expired')
    .map((e) => ({ e, at: Date.parse(e.at) }))
    .filter((c) => Number.isFinite(c.at))
    .sort((a, b) => a.at - b.at);
  let floor = -Infinity;
  return transitions.map((t) => {
    const seen = Date.parse(t.at);
    let match: ControlHistoryEntry | undefined;
    let matchAt = -Infinity;
    for (const c of candidates) {
      if (c.at > seen + slackMs) break;
      if (c.at <= floor) continue;
      if (c.e.to_mode !== t.to_mode) continue;
      if (t.to_mode === 'balanced' && c.e.to_profile !== t.to_profile) continue;
      match = c.e;
      matchAt = c.at;
    }
    if (!match) return t;
    floor = matchAt;
    return { ...t, reason: match.reason };
  });
}

/** Runs every analyzer over what the run collected and judges it against the scenario's SLOs. Pure. */
export function analyzeRun(input: AnalysisInput): BenchmarkResult {
  const samples = input.samples;
  const control = analyzeControl(samples, {
    budgetSeries: input.budgetSeries,
    steps: input.steps,
    flapWindowSeconds: input.flapWindowSeconds,
    settlingTolerance: input.settlingTolerance,
    settlingHoldSeconds: input.settlingHoldSeconds,
  });
  control.actuator_history = input.actuator.status;
  if (input.actuator.status === 'read') control.transitions = attachReasons(control.transitions, input.actuator.entries);
  const warnings = [...input.warnings];
  if (input.actuator.status === 'unavailable') warnings.push(`control API history unavailable: ${input.actuator.error}`);
  const series = analyzeSeries(samples);
  const costReduction = analyzeCostReduction(samples);
  const totals = analyzeRatio(samples, 'totals_preservation');
  const attribution = analyzeRatio(samples, 'attribution_coverage');
  const recall = analyzeRecall(input.probes, input.recallTopN, input.recallMinAgeSeconds);
  const slo = evaluateSlo(input.scenario.slo, { control, cost_reduction: costReduction, totals_preservation: totals, heavy_hitter_recall: recall });
  if (samples.length === 0) warnings.push('no KPI sample could be read during the run');
  if (recall.active.eligible === 0) warnings.push('no heavy hitter was eligible in any probe: recall could not be measured');
  return {
    version: 1,
    run_id: input.runId,
    scenario: input.scenario.name,
    profile: input.scenario.profile,
    time_scale: input.timeScale,
    environment: input.environment,
    started_at: input.startedAt,
    finished_at: input.finishedAt,
    wall_seconds: input.wallSeconds,
    scenario_seconds: input.wallSeconds / input.timeScale,
    budget_series: input.budgetSeries,
    fleet: input.fleet,
    data_source: input.dataSource,
    series,
    cost_reduction: costReduction,
    totals_preservation: totals,
    attribution_coverage: attribution,
    heavy_hitter_recall: recall,
    control,
    freshness: analyzeFreshness(input.probes),
    resources: analyzeResources(samples),
    cost: estimateCost(samples, input.prices),
    slo,
    passed: slo.passed,
    samples: [...samples],
    probes: [...input.probes],
    warnings,
  };
}

/** The headline scores of a result (kept with the run). */
export function summarize(r: BenchmarkResult): BenchmarkRunSummary {
  return {
    passed: r.passed,
    slo_failed: r.slo.checks.filter((c) => !c.passed).map((c) => c.name),
    peak_mode: r.control.peak_mode,
    final_mode: r.control.final_mode,
    cost_reduction: r.cost_reduction.active.mean,
    totals_preservation: preservationScore(r.totals_preservation.active.worst),
    heavy_hitter_recall: r.heavy_hitter_recall.active.recall,
    transitions: r.control.transitions_total,
    max_settling_seconds: r.control.max_settling_seconds,
    monthly_cost_saved: r.cost.available ? r.cost.saved.total : null,
    currency: r.cost.currency,
  };
}
