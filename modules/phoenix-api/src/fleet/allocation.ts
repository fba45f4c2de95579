import type { KpiSample } from '@phoenix/contracts';

export type Mode = 'conservative' | 'balanced' | 'aggressive';

/** One setting of a host's core with the series it would send (as its core predicts it). */
export interface Level {
  /** full_fidelity, optimized:<profile>, optimized, experimental_topk */
  name: string;
  mode: Mode;
  profile?: Mode;
  series: number;
}

export interface HostInput {
  hostId: string;
  /** decreasing series, full fidelity first (see {@link levelsFromKpi}) */
  levels: Level[];
  /** its series rose well above its baseline: it moves down first */
  spike: boolean;
  /** an operator's pin: the host keeps this target, the rest of the budget is shared around it */
  pinned?: { target_series: number; mode?: Mode };
}

export interface HostPlan {
  hostId: string;
  /** index into the host's levels (0 = full fidelity); -1 when pinned */
  level: number;
  levelName: string;
  planned_series: number;
  planned_mode: Mode;
  /** the most lossy mode the host's loop may choose: the mode of its level */
  max_mode: Mode;
  headroom: number;
  /** planned series + its share of the leftover budget */
  target_series: number;
  pinned: boolean;
  spike: boolean;
  reason: string;
}

export interface Allocation {
  budget: number;
  /** false when even every host at its last level exceeds the budget */
  feasible: boolean;
  /** sum of the planned series (pinned hosts count their target) */
  planned_active_series: number;
  pinned_series: number;
  /** levels moved down in all */
  moves: number;
  hosts: HostPlan[];
  reason: string;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * A host's levels from its latest KPI sample, most series first: full fidelity (mode conservative), the
 * optimized pipeline per profile (mode balanced), top-k at its current k (mode aggressive). A level that
 * would not save anything over the one before is left out. Empty when the sample has no full_fidelity count.
 */
export function levelsFromKpi(s: KpiSample): Level[] {
  const full = s.series.full_fidelity ?? s.active_series;
  const candidates: Array<Level | undefined> = [finite(full) ? { name: 'full_fidelity', mode: 'conservative', series: full } : undefined];
  const byProfile = s.optimized_series_by_profile;
  if (byProfile && (['conservative', 'balanced', 'aggressive'] as const).some((p) => finite(byProfile[p]))) {
    for (const p of ['conservative', 'balanced', 'aggressive'] as const) {
      const v = byProfile[p];
      if (finite(v)) candidates.push({ name: `optimized:${p}`, mode: 'balanced', profile: p, series: v });
    }
  } else if (finite(s.series.optimized)) {
    candidates.push({ name: 'optimized', mode: 'balanced', series: s.series.optimized });
  }
  if (finite(s.series.experimental_topk)) candidates.push({ name: 'experimental_topk', mode: 'aggressive', series: s.series.experimental_topk });
  if (!candidates[0]) return [];
  const out: Level[] = [];
  for (const c of candidates) if (c && (out.length === 0 || c.series < out[out.length - 1].series)) out.push(c);
  return out;
}

/** True when `latest` is above `factor` times the median of the host's earlier readings. */
export function isSpike(latest: number, baseline: number[], factor: number): boolean {
  if (baseline.length === 0) return false;
  const sorted = [...baseline].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return latest > factor * median;
}

/**
 * The fleet allocation (pure). Every unpinned host starts at full fidelity. While the planned sum exceeds
 * the budget minus the pinned hosts' targets, the host whose next level saves the most series moves one
 * level down; hosts with a spike go first; ties go to the smaller host id. The leftover budget is headroom, in
 * three steps: a growth margin for every host ({@link GROWTH_MARGIN} of its planned series, + 1, scaled down when
 * the leftover is short); then the reduced hosts (spikes first, then by host id), each up to one series below
 * its level above, so a host moved further down than the budget needs gets the signal back through its own
 * loop; what is left goes to every host in proportion to its planned series + 1.
 * When even every host at its last level exceeds the budget, the allocation is infeasible and every host gets
 * its last level (no headroom).
 */
export function allocate(budget: number, hosts: HostInput[]): Allocation {
  const pinned = hosts.filter((h) => h.pinned).sort((a, b) => (a.hostId < b.hostId ? -1 : 1));
  const free = hosts.filter((h) => !h.pinned && h.levels.length > 0).sort((a, b) => (a.hostId < b.hostId ? -1 : 1));
  const pinnedSeries = pinned.reduce((s, h) => s + (h.pinned?.target_series ?? 0), 0);
  const available = budget - pinnedSeries;
  const level = new Map(free.map((h) => [h.hostId, 0]));
  const seriesOf = (h: HostInput): number => h.levels[level.get(h.hostId) ?? 0].series;
  let planned = free.reduce((s, h) => s + seriesOf(h), 0);
  let moves = 0;
  while (planned > available) {
    let best: { host: HostInput; saves: number } | undefined;
    for (const h of free) {
      const l = level.get(h.hostId) ?? 0;
      if (l >= h.levels.length - 1) continue;
      const saves = h.levels[l].series - h.levels[l + 1].series;
      const better = !best || (h.spike && !best.host.spike) || (h.spike === best.host.spike && saves > best.saves);
      if (better) best = { host: h, saves };
    }
    if (!best) break;
    level.set(best.host.hostId, (level.get(best.host.hostId) ?? 0) + 1);
    planned -= best.saves;
    moves += 1;
  }
  const feasible = planned <= available;
  const margins = feasible ? growthMargins(free, level, available - planned) : new Map<string, number>();
  const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  const recovered = feasible ? recoverReduced(free, level, margins, available - planned - sum(margins)) : new Map<string, number>();
  const leftover = feasible ? available - planned - sum(margins) - sum(recovered) : 0;
  const plans: HostPlan[] = free.map((h) => {
    const l = level.get(h.hostId) ?? 0;
    const lv = h.levels[l];
    // weight = planned series + 1: a host with no series yet still gets a share (never a target of 1)
    const headroom = (margins.get(h.hostId) ?? 0) + (recovered.get(h.hostId) ?? 0) + Math.floor((leftover * (lv.series + 1)) / (planned + free.length));
    const where = `level ${l + 1} of ${h.levels.length} (${lv.name}${h.spike ? ', spike' : ''})`;
    return {
      hostId: h.hostId,
      level: l,
      levelName: lv.name,
      planned_series: lv.series,
      planned_mode: lv.mode,
      max_mode: lv.mode,
      headroom,
      target_series: Math.max(1, lv.series + headroom),
      pinned: false,
      spike: h.spike,
      reason: feasible ? `${where}: ${lv.series} series + ${headroom} headroom` : `infeasible: ${where}, the host's most lossy level`,
    };
  });
  for (const h of pinned) {
    const target = h.pinned?.target_series ?? 1;
    const mode = h.pinned?.mode ?? 'aggressive';
    plans.push({ hostId: h.hostId, level: -1, levelName: 'pinned', planned_series: target, planned_mode: mode, max_mode: mode, headroom: 0, target_series: target, pinned: true, spike: h.spike, reason: `pinned by an operator at ${target} series` });
  }
  plans.sort((a, b) => (a.hostId < b.hostId ? -1 : 1));
  const total = planned + pinnedSeries;
  const reason = feasible
    ? `${total} of ${budget} series planned for ${plans.length} hosts (${moves} levels down, ${available - planned} series of headroom shared)`
    : `infeasible: every host at its most lossy level plans ${planned} series, over the ${available} left of the budget ${budget} after ${pinnedSeries} pinned`;
  return { budget, feasible, planned_active_series: total, pinned_series: pinnedSeries, moves, hosts: plans, reason };
}

/** The share of its planned series every host gets first as headroom, so growth does not push a quiet host down at once. */
export const GROWTH_MARGIN = 0.1;

function growthMargins(free: HostInput[], level: Map<string, number>, leftover: number): Map<string, number> {
  const want = new Map(free.map((h) => [h.hostId, Math.floor(h.levels[level.get(h.hostId) ?? 0].series * GROWTH_MARGIN) + 1]));
  const total = [...want.values()].reduce((a, b) => a + b, 0);
  if (total <= leftover) return want;
  return new Map([...want].map(([id, m]) => [id, Math.floor((leftover * m) / total)]));
}

/** Headroom given back to the hosts below full fidelity: spikes first, then by host id, each up to one series below its level above. */
function recoverReduced(free: HostInput[], level: Map<string, number>, margins: Map<string, number>, leftover: number): Map<string, number> {
  const out = new Map<string, number>();
  const reduced = free.filter((h) => (level.get(h.hostId) ?? 0) > 0).sort((a, b) => (a.spike === b.spike ? (a.hostId < b.hostId ? -1 : 1) : a.spike ? -1 : 1));
  let left = leftover;
  for (const h of reduced) {
    const l = level.get(h.hostId) ?? 0;
    const has = h.levels[l].series + (margins.get(h.hostId) ?? 0);
    const give = Math.min(left, Math.max(0, h.levels[l - 1].series - 1 - has));
    if (give > 0) out.set(h.hostId, give);
    left -= give;
  }
  return out;
}
