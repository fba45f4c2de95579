import { createRandom } from './random';

describe('createRandom', () => {
  test('the same seed gives the same sequence, another seed another one', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const sa = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(sa);
    for (const x of sa) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  test('fork gives independent, reproducible streams and does not advance the parent', () => {
    const a = createRandom(7);
    const f1 = a.fork('host-1').next();
    const f2 = a.fork('host-2').next();
    expect(f1).not.toEqual(f2);
    expect(createRandom(7).fork('host-1').next()).toEqual(f1);
    expect(a.next()).toEqual(createRandom(7).next());
  });

  test('pareto has the configured tail: P(X > 10 xmin) is about 10^-alpha', () => {
    const r = createRandom(1);
    const n = 200_000;
    let above = 0;
    for (let i = 0; i < n; i++) if (r.pareto(1, 1.1) > 10) above++;
    expect(above / n).toBeGreaterThan(0.07);
    expect(above / n).toBeLessThan(0.09);
  });

  test('weightedIndex follows the weights and never picks a zero weight', () => {
    const r = createRandom(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[r.weightedIndex([1, 0, 2])]++;
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeGreaterThan(1.8);
    expect(counts[2] / counts[0]).toBeLessThan(2.2);
  });

  test('normal has mean 0 and standard deviation 1', () => {
    const r = createRandom(5);
    const xs = Array.from({ length: 50_000 }, () => r.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(sd - 1)).toBeLessThan(0.02);
  });
});
