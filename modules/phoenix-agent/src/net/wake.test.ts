import { ManualClock } from '@phoenix/runtime';
import { Wake } from './wake';

describe('Wake', () => {
  test('ends a wait on its timer, on wake(), and on stop(); a wake while not waiting ends the next wait', async () => {
    const clock = new ManualClock();
    const w = new Wake(clock);
    const timed = w.wait(1000);
    clock.advance(999);
    expect(clock.pending()).toBe(1);
    clock.advance(1);
    await expect(timed).resolves.toBe('timeout');
    const woken = w.wait(1000);
    w.wake();
    await expect(woken).resolves.toBe('woken');
    expect(clock.pending()).toBe(0);
    w.wake();
    await expect(w.wait(1000)).resolves.toBe('woken');
    const forever = w.wait();
    w.stop();
    await expect(forever).resolves.toBe('stopped');
    await expect(w.wait(5)).resolves.toBe('stopped');
    expect(w.isStopped).toBe(true);
  });
});
