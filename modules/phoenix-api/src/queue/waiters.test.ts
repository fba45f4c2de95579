import { ManualClock } from '@phoenix/runtime';
import { Waiters, type WakeReason } from './waiters';

function track(p: Promise<WakeReason>): { value: WakeReason | undefined } {
  const out: { value: WakeReason | undefined } = { value: undefined };
  void p.then((v) => (out.value = v));
  return out;
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('Waiters (long polls by host, one timer for all)', () => {
  it('wakes only the waiters of the host; the rest time out at their deadline (100 ms resolution)', async () => {
    const clock = new ManualClock(1_000_000);
    const w = new Waiters(clock, 100);
    const a1 = track(w.wait('a', 1000).promise);
    const a2 = track(w.wait('a', 5000).promise);
    const b = track(w.wait('b', 1000).promise);
    expect(w.size).toBe(3);
    expect(w.wake('a')).toBe(2);
    await flush();
    expect([a1.value, a2.value, b.value]).toEqual(['wake', 'wake', undefined]);
    clock.advance(999);
    await flush();
    expect(b.value).toBeUndefined();
    clock.advance(1);
    await flush();
    expect(b.value).toBe('timeout');
    expect(w.size).toBe(0);
    expect(w.wake('a')).toBe(0);
  });

  it('10,000 waiters share one pending timer', async () => {
    const clock = new ManualClock(0);
    const w = new Waiters(clock, 100);
    const all = Array.from({ length: 10_000 }, (_, i) => track(w.wait(`h${i % 1000}`, 1000 + (i % 30) * 1000).promise));
    expect(w.size).toBe(10_000);
    expect(clock.pending()).toBe(1);
    clock.advance(15_000);
    await flush();
    expect(all.filter((x) => x.value === 'timeout').length).toBe(10 * 334 + 5 * 333);
    expect(clock.pending()).toBe(1);
    expect(w.wakeAll()).toBe(10_000 - 5005);
    await flush();
    expect(all.every((x) => x.value !== undefined)).toBe(true);
  });

  it('cancel forgets a waiter; wakeAt wakes a host later; closeAll answers closed and refuses new waits', async () => {
    const clock = new ManualClock(0);
    const w = new Waiters(clock, 100);
    const c = w.wait('a', 10_000);
    const cancelled = track(c.promise);
    c.cancel();
    await flush();
    expect(cancelled.value).toBe('closed');
    expect(w.size).toBe(0);
    const later = track(w.wait('a', 30_000).promise);
    w.wakeAt('a', 2_050);
    clock.advance(2_000);
    await flush();
    expect(later.value).toBeUndefined();
    clock.advance(100);
    await flush();
    expect(later.value).toBe('wake');
    const open = track(w.wait('x', 30_000).promise);
    w.closeAll();
    await flush();
    expect(open.value).toBe('closed');
    const refused = track(w.wait('y', 30_000).promise);
    await flush();
    expect(refused.value).toBe('closed');
    expect(clock.pending()).toBe(0);
  });
});
