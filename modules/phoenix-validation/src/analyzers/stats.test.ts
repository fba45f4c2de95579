import { finite, max, mean, min, percentile } from './stats';

describe('stats', () => {
  it('no values: null, never 0 or NaN', () => {
    expect(mean([])).toBeNull();
    expect(max([])).toBeNull();
    expect(min([])).toBeNull();
    expect(percentile([], 0.95)).toBeNull();
  });

  it('nearest-rank percentiles, hand-computed', () => {
    const v = [15, 20, 35, 40, 50];
    expect(percentile(v, 0.05)).toBe(15); // ceil(0.25) = rank 1
    expect(percentile(v, 0.3)).toBe(20); // ceil(1.5) = rank 2
    expect(percentile(v, 0.4)).toBe(20); // ceil(2.0) = rank 2
    expect(percentile(v, 0.5)).toBe(35); // ceil(2.5) = rank 3
    expect(percentile(v, 0.95)).toBe(50); // ceil(4.75) = rank 5
    expect(percentile([3, 1, 2], 1)).toBe(3);
    expect(percentile([7], 0.99)).toBe(7);
  });

  it('mean / max / min, and finite() drops absent and non-finite values', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(max([1, 9, 3])).toBe(9);
    expect(min([4, -2, 3])).toBe(-2);
    expect(finite([1, undefined, null, NaN, Infinity, 2])).toEqual([1, 2]);
  });
});
