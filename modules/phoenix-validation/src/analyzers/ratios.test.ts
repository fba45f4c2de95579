import { sample } from '../../test/samples';
import { analyzeRatio, preservationScore, ratioStats } from './ratios';

describe('totals preservation and attribution coverage', () => {
  it('worst is the value furthest from 1 (either side), mean and final (hand-computed)', () => {
    const r = ratioStats([1, 0.98, 1.03, 1]);
    expect(r).toMatchObject({ samples: 4, worst: 1.03, final: 1 });
    expect(r.mean).toBeCloseTo(1.0025, 12);
    expect(ratioStats([1, 0.9, 1.05])).toMatchObject({ worst: 0.9 });
    expect(preservationScore(1.03)).toBeCloseTo(0.97, 12);
    expect(preservationScore(0.9)).toBeCloseTo(0.9, 12);
    expect(preservationScore(1)).toBe(1);
    expect(preservationScore(null)).toBeNull();
  });

  it('the active output takes, at each sample, the value of the pipeline active then', () => {
    const samples = [
      sample(0, { active_pipeline: 'full_fidelity', totals_preservation: { full_fidelity: 1, optimized: 0.5, experimental_topk: 0.7 } }),
      sample(5, { active_pipeline: 'experimental_topk', totals_preservation: { full_fidelity: 1, optimized: 0.5, experimental_topk: 0.99 } }),
      sample(10, { active_pipeline: 'optimized', totals_preservation: { full_fidelity: 1, optimized: 1, experimental_topk: 0.8 } }),
    ];
    const r = analyzeRatio(samples, 'totals_preservation');
    expect(r.active).toMatchObject({ samples: 3, worst: 0.99, final: 1 });
    expect(r.active.mean).toBeCloseTo((1 + 0.99 + 1) / 3, 12);
    expect(r.optimized).toMatchObject({ samples: 3, worst: 0.5, final: 1 });
    expect(r.optimized.mean).toBeCloseTo(2 / 3, 12);
    expect(r.full_fidelity.worst).toBe(1);
  });

  it('no samples, or the ratio never reported: null', () => {
    expect(analyzeRatio([], 'attribution_coverage').active).toEqual({ samples: 0, worst: null, mean: null, final: null });
    const r = analyzeRatio([sample(0, { active_pipeline: 'optimized' }), sample(5, { attribution_coverage: { optimized: 0.8 } })], 'attribution_coverage');
    expect(r.active.samples).toBe(0); // the sample with a value has no active pipeline
    expect(r.optimized).toEqual({ samples: 1, worst: 0.8, mean: 0.8, final: 0.8 });
  });
});
