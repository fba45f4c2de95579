import type { ControlKpis, Mode } from '@phoenix/contracts';

/**
 * The options the actuator chooses from, and what each would cost: the predictions made from the KPIs
 * (all pipelines run on the same input, so the controller knows the cost of a choice before it switches).
 */

/** What the control file says (the decision's content). */
export interface Setting {
  mode: Mode;
  profile: Mode;
  k: number;
  targetSeries: number;
}

/**
 * The choices, from least to most lossy: the active output fed by full_fidelity, by optimized under each
 * profile, by experimental_topk.
 */
export const OPTIONS = [
  'conservative',
  'balanced/conservative',
  'balanced/balanced',
  'balanced/aggressive',
  'aggressive',
] as const;
export type OptionName = (typeof OPTIONS)[number];
/** The optimized pipeline's profiles, from least to most lossy (options 1..3). */
export const PROFILES: Mode[] = ['conservative', 'balanced', 'aggressive'];
/** The index of `aggressive` (experimental_topk) in {@link OPTIONS}. */
export const AGGRESSIVE = 4;

export function optionIndex(s: Pick<Setting, 'mode' | 'profile'>): number {
  if (s.mode === 'conservative') return 0;
  if (s.mode === 'aggressive') return AGGRESSIVE;
  return 1 + Math.max(0, PROFILES.indexOf(s.profile));
}

export function pipelineOfMode(mode: Mode): 'full_fidelity' | 'optimized' | 'experimental_topk' {
  return mode === 'conservative' ? 'full_fidelity' : mode === 'balanced' ? 'optimized' : 'experimental_topk';
}

export function sameSetting(a: Setting, b: Setting): boolean {
  return a.mode === b.mode && a.profile === b.profile && a.k === b.k && a.targetSeries === b.targetSeries;
}

/** `balanced (profile x)`, `aggressive (k=n)` or `conservative`: a setting in a reason. */
export function describeSetting(s: Setting): string {
  if (s.mode === 'balanced') return `balanced (profile ${s.profile})`;
  if (s.mode === 'aggressive') return `aggressive (k=${s.k})`;
  return 'conservative';
}

/** Series each option would expose, from the KPIs (all pipelines run on the same input). */
export interface Predictions {
  /** Index 0..3: full_fidelity and optimized under each profile (Infinity when unknown). */
  exact: number[];
  /** Streams of experimental_topk (its series ~ streams x (k + 2)); undefined when unknown. */
  streams: number | undefined;
  /**
   * Calibration of the top-k model from the measured top-k output at the k in force:
   * measured - streams x (k_in_force + 2) (series the model does not see: non-process series, hosts with
   * fewer processes than k...). 0 when unknown.
   */
  offset: number;
  full: number;
}

export function predict(kpis: ControlKpis, current: Setting): Predictions {
  const full = kpis.series.full_fidelity ?? Infinity;
  const byProfile = kpis.optimized_series_by_profile ?? {};
  const exact = [full];
  for (const p of PROFILES) {
    let v = byProfile[p];
    if (v === undefined && current.profile === p) v = kpis.series.optimized;
    exact.push(v ?? Infinity);
  }
  const measured = kpis.series.experimental_topk;
  const inForceK = kpis.in_force?.k !== undefined && kpis.in_force.k > 0 ? kpis.in_force.k : current.k;
  let streams = kpis.topk_streams;
  let offset = 0;
  if (streams !== undefined && streams > 0) {
    if (measured !== undefined && Number.isFinite(measured) && measured < full) {
      const model = streams * (inForceK + 2);
      offset = Math.max(-0.5 * model, measured - model);
    }
  } else if (measured !== undefined && full > 0 && inForceK > 0) {
    // No stream count: fall back on the measured top-k output at the k in force.
    streams = measured / (inForceK + 2);
  }
  return { exact, streams, offset: Number.isFinite(offset) ? offset : 0, full };
}

