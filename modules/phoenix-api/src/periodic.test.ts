import { ManualClock } from '@phoenix/runtime';
import { Periodic } from './periodic';

describe('Periodic', () => {
  it('runs every interval, never overlapping, passes failures on, and stops', async () => {
    const clock = new ManualClock(0);
    const runs: number[] = [];
    const errors: string[] = [];
    const p = new Periodic(clock, 1000, async () => {
      runs.push(clock.now());
      if (runs.length === 2) throw new Error('second run failed');
    }, (e) => errors.push((e as Error).message));
    p.start();
    p.start();
    await clock.advanceAsync(3500);
    expect(runs).toEqual([1000, 2000, 3000]);
    expect(errors).toEqual(['second run failed']);
    p.stop();
    await clock.advanceAsync(5000);
    expect(runs).toEqual([1000, 2000, 3000]);
    expect(clock.pending()).toBe(0);
  });
});
