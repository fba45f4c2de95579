import { Backoff, jittered } from './backoff';

describe('Backoff', () => {
  test('doubles from the minimum to the maximum, each wait in [cap/2, cap]', () => {
    const top = new Backoff(500, 30_000, () => 0.999999);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(() => top.next())).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    const bottom = new Backoff(500, 30_000, () => 0);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(() => bottom.next())).toEqual([250, 500, 1000, 2000, 4000, 8000, 15000, 15000]);
  });

  test('reset starts again from the minimum', () => {
    const b = new Backoff(1000, 8000, () => 0.5);
    expect([b.next(), b.next(), b.next()]).toEqual([750, 1500, 3000]);
    expect(b.failures).toBe(3);
    b.reset();
    expect(b.failures).toBe(0);
    expect(b.next()).toBe(750);
  });

  test('jittered stays within ±10 %', () => {
    expect(jittered(60_000, () => 0)).toBe(54_000);
    expect(jittered(60_000, () => 0.5)).toBe(60_000);
    expect(jittered(60_000, () => 0.999999)).toBe(66_000);
  });
});
