import type { BenchmarkControl, BenchmarkControlTransition, BenchmarkModeName, BenchmarkSample, BenchmarkStep } from '@phoenix/contracts';

const MODE_ORDER: Record<BenchmarkModeName, number> = { conservative: 0, balanced: 1, aggressive: 2 };

/** The more lossy of two modes (conservative < balanced < aggressive). */
export function moreLossy(a: BenchmarkModeName, b: BenchmarkModeName): BenchmarkModeName {
  return MODE_ORDER[b] > MODE_ORDER[a] ? b : a;
}

export interface StepInput {
  atSeconds: number;
  kind: 'up' | 'down' | 'churn';
  phase?: string;
}

export interface ControlAnalysisInput {
  /** Budget when a sample does not carry target_series. */
  budgetSeries: number;
  steps: readonly StepInput[];
  /** Scenario seconds within which a transition that undoes the previous one counts as a flap. */
  flapWindowSeconds: number;
  /** Share above the budget still counted as settled (a band, as settling times are measured in control). */
  settlingTolerance: number;
  /** Scenario seconds the output must hold in the band to count as settled. */
  settlingHoldSeconds: number;
}

interface Setting {
  mode: BenchmarkModeName;
  profile: BenchmarkModeName;
}

/** A change of what the active output shows: the mode, or the optimized profile while balanced. */
function isTransition(a: Setting, b: Setting): boolean {
  if (a.mode !== b.mode) return true;
  return a.mode === 'balanced' && a.profile !== b.profile;
}

/** The control transitions between consecutive samples that report a mode (profile defaults to the previous). */
export function detectTransitions(samples: readonly BenchmarkSample[]): BenchmarkControlTransition[] {
  const out: BenchmarkControlTransition[] = [];
  let prev: Setting | undefined;
  for (const s of samples) {
    if (!s.mode) continue;
    const cur: Setting = { mode: s.mode, profile: s.profile ?? prev?.profile ?? 'balanced' };
    if (prev && isTransition(prev, cur)) {
      const t: BenchmarkControlTransition = {
        at: s.at,
        offset_seconds: s.offset_seconds,
        from_mode: prev.mode,
        to_mode: cur.mode,
        from_profile: prev.profile,
        to_profile: cur.profile,
      };
      if (s.k !== undefined) t.k = s.k;
      if (s.generation !== undefined) t.generation = s.generation;
      out.push(t);
    }
    prev = cur;
  }
  return out;
}

function budgetOf(s: BenchmarkSample, fallback: number): number {
  return s.target_series !== undefined && s.target_series > 0 ? s.target_series : fallback;
}

/**
 * Settling after a step: scenario seconds from the step until the active output entered the budget band (the
 * budget plus `tolerance`, a share of it) and then stayed in it for `holdSeconds` (or until `untilSeconds`, the
 * next load increase or the end, when that comes first). 0 when it never left the band. null when it never held
 * in the band, or there is no reading of the active output. Excursions after it settled are not settling any more:
 * they show in the overshoot and the time over the budget. Mode changes do not count here (they are the
 * transitions and flaps): like a settling time in control, it is about the controlled output.
 */
export function settlingAfter(
  samples: readonly BenchmarkSample[],
  fromSeconds: number,
  untilSeconds: number,
  budgetFallback: number,
  tolerance = 0,
  holdSeconds = Infinity,
): number | null {
  const window = samples.filter((s) => s.offset_seconds >= fromSeconds && s.offset_seconds < untilSeconds && s.active_series !== undefined);
  if (window.length === 0) return null;
  let entry: number | undefined;
  let left = false;
  for (const s of window) {
    const inBand = (s.active_series as number) <= budgetOf(s, budgetFallback) * (1 + tolerance);
    if (!inBand) {
      left = true;
      entry = undefined;
      continue;
    }
    if (entry === undefined) entry = s.offset_seconds;
    if (s.offset_seconds - entry >= holdSeconds) break;
  }
  if (entry === undefined) return null;
  return left ? Math.max(0, entry - fromSeconds) : 0;
}

/**
 * How the control loop behaved over the run, from the mode, profile, k and active series in force at each
 * sample: transitions, modes, the budget at the end, overshoot over the budget and time spent over it,
 * settling after each load step, flaps within the flap window.
 */
export function analyzeControl(samples: readonly BenchmarkSample[], input: ControlAnalysisInput): BenchmarkControl {
  const transitions = detectTransitions(samples);
  const withMode = samples.filter((s) => s.mode !== undefined);
  const modesSeen: BenchmarkModeName[] = [];
  let peak: BenchmarkModeName | null = null;
  for (const s of withMode) {
    const m = s.mode as BenchmarkModeName;
    if (!modesSeen.includes(m)) modesSeen.push(m);
    peak = peak === null ? m : moreLossy(peak, m);
  }
  const withActive = samples.filter((s) => typeof s.active_series === 'number' && Number.isFinite(s.active_series));
  const lastActive = withActive.length > 0 ? withActive[withActive.length - 1] : undefined;
  let overshoot: number | null = null;
  let overSeconds = 0;
  for (let i = 0; i < withActive.length; i++) {
    const s = withActive[i];
    const b = budgetOf(s, input.budgetSeries);
    const ratio = Math.max(0, ((s.active_series as number) - b) / b);
    overshoot = overshoot === null ? ratio : Math.max(overshoot, ratio);
    if ((s.active_series as number) > b && i + 1 < withActive.length) overSeconds += withActive[i + 1].offset_seconds - s.offset_seconds;
  }
  const end = samples.length > 0 ? samples[samples.length - 1].offset_seconds + 1e-9 : 0;
  const steps: BenchmarkStep[] = input.steps.map((st) => {
    // A load increase is what can push the output over the budget: each step's window ends at the next one.
    const next = input.steps.find((o) => o.atSeconds > st.atSeconds && o.kind !== 'down');
    const until = next ? next.atSeconds : end;
    const step: BenchmarkStep = {
      at_seconds: st.atSeconds,
      kind: st.kind,
      settled_after_seconds: settlingAfter(samples, st.atSeconds, until, input.budgetSeries, input.settlingTolerance, input.settlingHoldSeconds),
    };
    if (st.phase !== undefined) step.phase = st.phase;
    return step;
  });
  const settled = steps.map((s) => s.settled_after_seconds).filter((v): v is number => v !== null);
  let flaps = 0;
  for (let i = 1; i < transitions.length; i++) {
    const a = transitions[i - 1];
    const b = transitions[i];
    const undoes = b.to_mode === a.from_mode && (b.to_mode !== 'balanced' || b.to_profile === a.from_profile);
    if (undoes && b.offset_seconds - a.offset_seconds <= input.flapWindowSeconds) flaps += 1;
  }
  const finalActive = lastActive ? (lastActive.active_series as number) : null;
  return {
    transitions,
    transitions_total: transitions.length,
    modes_seen: modesSeen,
    initial_mode: withMode.length > 0 ? (withMode[0].mode as BenchmarkModeName) : null,
    final_mode: withMode.length > 0 ? (withMode[withMode.length - 1].mode as BenchmarkModeName) : null,
    peak_mode: peak,
    final_active_series: finalActive,
    ended_within_budget: lastActive ? (finalActive as number) <= budgetOf(lastActive, input.budgetSeries) : null,
    overshoot_ratio: overshoot,
    time_over_budget_seconds: overSeconds,
    steps,
    max_settling_seconds: settled.length > 0 ? Math.max(...settled) : null,
    settling_tolerance: input.settlingTolerance,
    settling_hold_seconds: input.settlingHoldSeconds,
    flaps,
    flap_window_seconds: input.flapWindowSeconds,
    actuator_history: 'not_configured',
  };
}
