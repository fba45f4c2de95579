import type { BenchmarkProbe } from '@phoenix/contracts';
import { analyzeFreshness } from './freshness';
import { analyzeRecall } from './recall';

const probe = (t: number, eligible: number, active: number, topk: number, extra: Partial<BenchmarkProbe> = {}): BenchmarkProbe => ({
  at: new Date(Date.UTC(2026, 0, 1) + t * 1000).toISOString(),
  offset_seconds: t,
  hosts: 2,
  eligible,
  active_hits: active,
  topk_hits: topk,
  ...extra,
});

describe('heavy-hitter recall', () => {
  it('hits / eligible summed over the probes, lowest and last probe (hand-computed)', () => {
    const r = analyzeRecall([probe(30, 20, 20, 18), probe(60, 20, 19, 20), probe(90, 10, 10, 9)], 10, 25);
    // active: 49 / 50; probes 1, 0.95, 1.
    expect(r.active).toMatchObject({ probes: 3, eligible: 50, hits: 49, recall: 0.98, min: 0.95, final: 1 });
    // topk: 47 / 50; probes 0.9, 1, 0.9.
    expect(r.experimental_topk).toMatchObject({ probes: 3, eligible: 50, hits: 47, recall: 0.94, min: 0.9, final: 0.9 });
    expect(r.top_n).toBe(10);
    expect(r.min_age_seconds).toBe(25);
  });

  it('probes with nothing eligible (only young processes, no truth yet) are left out', () => {
    const r = analyzeRecall([probe(30, 0, 0, 0), probe(60, 4, 3, 4), probe(90, 0, 0, 0)], 10, 25);
    expect(r.active).toMatchObject({ probes: 1, eligible: 4, hits: 3, recall: 0.75, min: 0.75, final: 0.75 });
  });

  it('no probes: recall null, nothing missed', () => {
    expect(analyzeRecall([], 10, 25).active).toEqual({ probes: 0, eligible: 0, hits: 0, recall: null, min: null, final: null, missed: [] });
  });

  it('keeps the missed heavy hitters (at most 20)', () => {
    const missed = Array.from({ length: 15 }, (_, i) => ({ offset_seconds: 30, host_name: 'h', pid: i + 1, executable_name: 'java', rank: 1, cpu_rate: 1 }));
    const r = analyzeRecall([probe(30, 20, 5, 5, { missed_active: missed }), probe(60, 20, 5, 5, { missed_active: missed })], 10, 0);
    expect(r.active.missed).toHaveLength(20);
  });
});

describe('freshness', () => {
  it('p50 / p99 nearest rank and max; timeouts counted apart (hand-computed)', () => {
    const r = analyzeFreshness([
      probe(1, 0, 0, 0, { freshness_seconds: 0.04 }),
      probe(2, 0, 0, 0, { freshness_seconds: 0.01 }),
      probe(3, 0, 0, 0, { freshness_seconds: 0.5 }),
      probe(4, 0, 0, 0, { freshness_timeout: true }),
      probe(5, 0, 0, 0),
    ]);
    expect(r).toEqual({ probes: 3, timeouts: 1, p50_seconds: 0.04, p99_seconds: 0.5, max_seconds: 0.5 });
  });

  it('no probes: null', () => {
    expect(analyzeFreshness([])).toEqual({ probes: 0, timeouts: 0, p50_seconds: null, p99_seconds: null, max_seconds: null });
  });
});
