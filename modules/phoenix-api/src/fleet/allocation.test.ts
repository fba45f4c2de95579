import type { KpiSample } from '@phoenix/contracts';
import { allocate, isSpike, levelsFromKpi, type HostInput, type Level } from './allocation';

const L = (full: number, cons: number, bal: number, agg: number, topk: number): Level[] => [
  { name: 'full_fidelity', mode: 'conservative', series: full },
  { name: 'optimized:conservative', mode: 'balanced', profile: 'conservative', series: cons },
  { name: 'optimized:balanced', mode: 'balanced', profile: 'balanced', series: bal },
  { name: 'optimized:aggressive', mode: 'balanced', profile: 'aggressive', series: agg },
  { name: 'experimental_topk', mode: 'aggressive', series: topk },
];
const quiet = (id: string): HostInput => ({ hostId: id, levels: L(1000, 800, 600, 500, 300), spike: false });
const spiking = (id: string): HostInput => ({ hostId: id, levels: L(10_000, 8000, 5000, 3000, 1000), spike: true });
const pick = (a: ReturnType<typeof allocate>) => a.hosts.map((h) => [h.hostId, h.levelName, h.planned_series, h.headroom, h.target_series, h.max_mode]);

describe('allocate (the fleet budget split over the hosts)', () => {
  it('under budget: every host at full fidelity, a growth margin each, the rest shared in proportion to planned series + 1', () => {
    const a = allocate(20_000, [quiet('a'), quiet('b'), spiking('c')]);
    expect(a.feasible).toBe(true);
    expect(a.moves).toBe(0);
    expect(pick(a)).toEqual([
      ['a', 'full_fidelity', 1000, 667, 1667, 'conservative'],
      ['b', 'full_fidelity', 1000, 667, 1667, 'conservative'],
      ['c', 'full_fidelity', 10_000, 6664, 16_664, 'conservative'],
    ]);
    expect(a.planned_active_series).toBe(12_000);
    expect(a.reason).toBe('12000 of 20000 series planned for 3 hosts (0 levels down, 8000 series of headroom shared)');
  });

  it('the spike host gets the reduction, the quiet hosts stay at full fidelity', () => {
    const a = allocate(8000, [quiet('a'), quiet('b'), spiking('c')]);
    expect(a.feasible).toBe(true);
    expect(a.moves).toBe(2);
    expect(pick(a)).toEqual([
      ['a', 'full_fidelity', 1000, 101, 1101, 'conservative'],
      ['b', 'full_fidelity', 1000, 101, 1101, 'conservative'],
      ['c', 'optimized:balanced', 5000, 798, 5798, 'balanced'],
    ]);
    expect(a.planned_active_series).toBe(7000);
    expect(a.hosts.reduce((s, h) => s + h.target_series, 0)).toBeLessThanOrEqual(8000);
    expect(a.hosts[2].reason).toBe('level 3 of 5 (optimized:balanced, spike): 5000 series + 798 headroom');
  });

  it('a host moved further down than the budget needs gets the rest back, up to just below its level above', () => {
    const q = (id: string): HostInput => ({ hostId: id, levels: [{ name: 'full_fidelity', mode: 'conservative', series: 140 }], spike: false });
    const spike: HostInput = { hostId: 's', levels: [{ name: 'full_fidelity', mode: 'conservative', series: 2100 }, { name: 'optimized', mode: 'balanced', series: 1500 }, { name: 'experimental_topk', mode: 'aggressive', series: 20 }], spike: true };
    const a = allocate(1200, [q('a'), q('b'), spike]);
    // the spike drops to top-k (20 series); 900 left: margins 15 + 15 + 3, then the spike gets the 867 left (its cap is 1499)
    expect(pick(a)).toEqual([
      ['a', 'full_fidelity', 140, 15, 155, 'conservative'],
      ['b', 'full_fidelity', 140, 15, 155, 'conservative'],
      ['s', 'experimental_topk', 20, 870, 890, 'aggressive'],
    ]);
    expect(a.hosts.reduce((s, h) => s + h.target_series, 0)).toBe(1200);
  });

  it('a spike goes first even when a quiet host would save more', () => {
    const big: HostInput = { hostId: 'big', levels: L(20_000, 12_000, 11_000, 10_000, 9000), spike: false };
    const small: HostInput = { hostId: 'small', levels: L(3000, 2500, 2000, 1500, 1000), spike: true };
    const a = allocate(21_000, [big, small]);
    expect(pick(a)).toEqual([
      ['big', 'full_fidelity', 20_000, 0, 20_000, 'conservative'],
      ['small', 'experimental_topk', 1000, 0, 1000, 'aggressive'],
    ]);
    const b = allocate(21_000, [big, { ...small, spike: false }]);
    expect(pick(b)).toEqual([
      ['big', 'optimized:conservative', 12_000, 5699, 17_699, 'balanced'],
      ['small', 'full_fidelity', 3000, 301, 3301, 'conservative'],
    ]);
  });

  it('a host without series yet gets a share of the headroom too; the targets never exceed the budget', () => {
    const one = (id: string, series: number): HostInput => ({ hostId: id, levels: [{ name: 'full_fidelity', mode: 'conservative', series }], spike: false });
    const a = allocate(1200, [one('a', 140), one('b', 140), one('new', 0)]);
    expect(pick(a)).toEqual([
      ['a', 'full_fidelity', 140, 457, 597, 'conservative'],
      ['b', 'full_fidelity', 140, 457, 597, 'conservative'],
      ['new', 'full_fidelity', 0, 4, 4, 'conservative'],
    ]);
    expect(a.hosts.reduce((s, h) => s + h.target_series, 0)).toBeLessThanOrEqual(1200);
  });

  it('equal savings: the smaller host id moves first', () => {
    const two = (id: string): HostInput => ({ hostId: id, levels: [{ name: 'full_fidelity', mode: 'conservative', series: 1000 }, { name: 'optimized', mode: 'balanced', series: 900 }], spike: false });
    const a = allocate(1900, [two('b'), two('a')]);
    expect(pick(a)).toEqual([
      ['a', 'optimized', 900, 0, 900, 'balanced'],
      ['b', 'full_fidelity', 1000, 0, 1000, 'conservative'],
    ]);
  });

  it('infeasible budget: every host at its last level, no headroom, reported', () => {
    const b = allocate(1500, [quiet('a'), quiet('b'), spiking('c')]);
    expect(b.feasible).toBe(false);
    expect(pick(b)).toEqual([
      ['a', 'experimental_topk', 300, 0, 300, 'aggressive'],
      ['b', 'experimental_topk', 300, 0, 300, 'aggressive'],
      ['c', 'experimental_topk', 1000, 0, 1000, 'aggressive'],
    ]);
    expect(b.planned_active_series).toBe(1600);
    expect(b.reason).toBe('infeasible: every host at its most lossy level plans 1600 series, over the 1500 left of the budget 1500 after 0 pinned');
    expect(b.hosts[0].reason).toBe('infeasible: level 5 of 5 (experimental_topk), the host\'s most lossy level');
  });

  it('pinned hosts keep their target; the rest of the budget is shared around them', () => {
    const a = allocate(8000, [{ ...quiet('a'), pinned: { target_series: 2000, mode: 'balanced' } }, quiet('b'), spiking('c')]);
    expect(a.pinned_series).toBe(2000);
    expect(pick(a)).toEqual([
      ['a', 'pinned', 2000, 0, 2000, 'balanced'],
      ['b', 'full_fidelity', 1000, 0, 1000, 'conservative'],
      ['c', 'optimized:balanced', 5000, 0, 5000, 'balanced'],
    ]);
    expect(a.planned_active_series).toBe(8000);
    const over = allocate(1000, [{ ...quiet('a'), pinned: { target_series: 2000 } }, quiet('b')]);
    expect(over.feasible).toBe(false);
    expect(pick(over)).toEqual([
      ['a', 'pinned', 2000, 0, 2000, 'aggressive'],
      ['b', 'experimental_topk', 300, 0, 300, 'aggressive'],
    ]);
  });

  it('a host without levels (no KPI) is left out', () => {
    expect(allocate(100, [{ hostId: 'x', levels: [], spike: false }]).hosts).toEqual([]);
  });
});

describe('levelsFromKpi (what the core predicts each setting costs)', () => {
  const base: KpiSample = { seq: 1, observed_at: '2026-01-01T00:00:00Z', series: { full_fidelity: 1000, optimized: 700, experimental_topk: 400 } };
  it('full fidelity, then the optimized profiles, then top-k; levels that save nothing are dropped', () => {
    const levels = levelsFromKpi({ ...base, optimized_series_by_profile: { conservative: 900, balanced: 900, aggressive: 500 } });
    expect(levels.map((l) => [l.name, l.mode, l.series])).toEqual([
      ['full_fidelity', 'conservative', 1000],
      ['optimized:conservative', 'balanced', 900],
      ['optimized:aggressive', 'balanced', 500],
      ['experimental_topk', 'aggressive', 400],
    ]);
  });
  it('without per-profile predictions the optimized count is one level; without full fidelity there are none', () => {
    expect(levelsFromKpi(base).map((l) => l.name)).toEqual(['full_fidelity', 'optimized', 'experimental_topk']);
    expect(levelsFromKpi({ ...base, series: { optimized: 5 } })).toEqual([]);
    expect(levelsFromKpi({ ...base, series: {}, active_series: 50 }).map((l) => [l.name, l.series])).toEqual([['full_fidelity', 50]]);
  });
});

describe('isSpike', () => {
  it('is above factor times the median of the baseline', () => {
    expect(isSpike(1600, [1000, 1000, 900, 5000], 1.5)).toBe(true);
    expect(isSpike(1500, [1000, 1000, 1000], 1.5)).toBe(false);
    expect(isSpike(1500, [], 1.5)).toBe(false);
  });
});
