import { sample } from '../../test/samples';
import { analyzeCostReduction, analyzeSeries, seriesStats } from './series';

describe('series analyzer', () => {
  it('mean, max, p95 and last per pipeline and for the active output (hand-computed)', () => {
    const samples = [
      sample(0, { series: { full_fidelity: 100, optimized: 60, experimental_topk: 40 }, active_series: 100 }),
      sample(5, { series: { full_fidelity: 200, optimized: 90, experimental_topk: 50 }, active_series: 90 }),
      sample(10, { series: { full_fidelity: 300, optimized: 120, experimental_topk: 60 }, active_series: 60 }),
      sample(15, { series: { full_fidelity: 400, optimized: 150, experimental_topk: 70 }, active_series: 70 }),
    ];
    const r = analyzeSeries(samples);
    expect(r.full_fidelity).toEqual({ samples: 4, mean: 250, max: 400, p95: 400, last: 400 });
    expect(r.optimized).toEqual({ samples: 4, mean: 105, max: 150, p95: 150, last: 150 });
    expect(r.active).toEqual({ samples: 4, mean: 80, max: 100, p95: 100, last: 70 });
    // Cost reduction: ratio of the means. optimized 1 - 105/250 = 0.58; active 1 - 80/250 = 0.68.
    const c = analyzeCostReduction(samples);
    expect(c.optimized.mean).toBeCloseTo(0.58, 12);
    expect(c.optimized.final).toBeCloseTo(1 - 150 / 400, 12);
    expect(c.active.mean).toBeCloseTo(0.68, 12);
    expect(c.active.final).toBeCloseTo(1 - 70 / 400, 12);
    expect(c.experimental_topk.mean).toBeCloseTo(1 - 55 / 250, 12);
  });

  it('no samples: every statistic is null', () => {
    expect(analyzeSeries([])).toEqual({
      full_fidelity: { samples: 0, mean: null, max: null, p95: null, last: null },
      optimized: { samples: 0, mean: null, max: null, p95: null, last: null },
      experimental_topk: { samples: 0, mean: null, max: null, p95: null, last: null },
      active: { samples: 0, mean: null, max: null, p95: null, last: null },
    });
    expect(analyzeCostReduction([])).toEqual({
      optimized: { mean: null, final: null },
      experimental_topk: { mean: null, final: null },
      active: { mean: null, final: null },
    });
  });

  it('a series that vanishes: summarised over the samples where it was present; cost reduction over the paired samples', () => {
    const samples = [
      sample(0, { series: { full_fidelity: 100, experimental_topk: 50 } }),
      sample(5, { series: { full_fidelity: 200, experimental_topk: 50 } }),
      sample(10, { series: { full_fidelity: 300 } }), // experimental_topk stopped reporting
      sample(15, { series: {} }), // the whole scrape came back empty
    ];
    const r = analyzeSeries(samples);
    expect(r.experimental_topk).toEqual({ samples: 2, mean: 50, max: 50, p95: 50, last: 50 });
    expect(r.full_fidelity).toEqual({ samples: 3, mean: 200, max: 300, p95: 300, last: 300 });
    expect(r.optimized.samples).toBe(0);
    // Paired: (100, 50), (200, 50): 1 - 50/150.
    const c = analyzeCostReduction(samples);
    expect(c.experimental_topk.mean).toBeCloseTo(1 - 50 / 150, 12);
    expect(c.experimental_topk.final).toBeCloseTo(1 - 50 / 200, 12);
    expect(c.optimized).toEqual({ mean: null, final: null });
  });

  it('a full_fidelity of 0 (nothing ingested yet) is not a reading to divide by', () => {
    const c = analyzeCostReduction([sample(0, { series: { full_fidelity: 0 }, active_series: 0 }), sample(5, { series: { full_fidelity: 10 }, active_series: 4 })]);
    expect(c.active).toEqual({ mean: 0.6, final: 0.6 });
    expect(seriesStats([undefined, NaN]).samples).toBe(0);
  });
});
