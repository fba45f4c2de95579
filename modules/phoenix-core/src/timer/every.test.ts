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

  test('fixed rate: a slow run does not shift the next ones; an overrun is followed at once, once', () => {
    const clock = new ManualClock(0);
    const at: number[] = [];
    const cost = [30, 250, 0, 0];
    every(clock, 100, () => {
      at.push(clock.now());
      clock.set(clock.now() + (cost[at.length - 1] ?? 0));
    });
    clock.advance(600);
    // runs at 100 (30 ms), 200 (250 ms: ends at 450, past 300 and 400), 450 at once, then 550
    expect(at).toEqual([100, 200, 450, 550]);
  });

  test('two timers of one interval started together stay in phase', () => {
    const clock = new ManualClock(0);
    const at: string[] = [];
    every(clock, 100, () => {
      at.push(`a${clock.now()}`);
      clock.set(clock.now() + 20);
    });
    every(clock, 100, () => at.push(`b${clock.now()}`));
    clock.advance(250);
    expect(at).toEqual(['a100', 'b120', 'a200', 'b220']);
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
