import { ManualClock, sleep } from '@phoenix/runtime';
import { every } from './every';

/** lets the loop's promise chain reach its next sleep */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('every', () => {
  it('calls at once, then every interval from the start of each call; a slow call is followed at once; abort ends it', async () => {
    const clock = new ManualClock(0);
    const ac = new AbortController();
    const calls: number[] = [];
    const loop = every(clock, 100, ac.signal, async () => {
      calls.push(clock.now());
      if (calls.length === 2) await sleep(clock, 250); // this call takes 250 ms of the 100 ms interval
    });
    await settle();
    expect(calls).toEqual([0]);
    await clock.advanceAsync(100);
    await settle();
    expect(calls).toEqual([0, 100]);
    await clock.advanceAsync(250);
    await settle();
    expect(calls).toEqual([0, 100, 350]); // due at once after the slow call
    await clock.advanceAsync(99);
    await settle();
    expect(calls).toEqual([0, 100, 350]);
    await clock.advanceAsync(1);
    await settle();
    expect(calls).toEqual([0, 100, 350, 450]);
    ac.abort();
    await loop;
    expect(clock.pending()).toBe(0);
  });
});
