import { ManualClock } from '@phoenix/runtime';
import { every } from './every';

describe('every', () => {
  test('runs the tick once per interval until stopped, and not after', () => {
    const clock = new ManualClock(0);
    const at: number[] = [];
    const stop = every(clock, 100, () => at.push(clock.now()));
    clock.advance(99);
    expect(at).toEqual([]);
    clock.advance(251);
    expect(at).toEqual([100, 200, 300]);
    stop();
    expect(clock.pending()).toBe(0);
    clock.advance(1000);
    expect(at).toEqual([100, 200, 300]);
  });

  test('a tick that stops the timer is its last', () => {
    const clock = new ManualClock(0);
    let runs = 0;
    const stop: () => void = every(clock, 10, () => {
      runs++;
      if (runs === 2) stop();
    });
    clock.advance(100);
    expect(runs).toBe(2);
    expect(clock.pending()).toBe(0);
  });
});
