import { ManualClock, iso, sleep, systemClock } from './clock';

describe('ManualClock', () => {
  it('starts where told and only moves when advanced or set', () => {
    const c = new ManualClock(1000);
    expect(c.now()).toBe(1000);
    c.advance(250);
    expect(c.now()).toBe(1250);
    c.set(50);
    expect(c.now()).toBe(50);
    expect(new ManualClock().now()).toBe(Date.UTC(2026, 0, 1));
  });

  it('runs due timers in due-time order, then scheduling order, with now() at their due time', () => {
    const c = new ManualClock(0);
    const seen: Array<[string, number]> = [];
    c.setTimeout(() => seen.push(['b', c.now()]), 20);
    c.setTimeout(() => seen.push(['a', c.now()]), 10);
    c.setTimeout(() => seen.push(['c', c.now()]), 20);
    c.setTimeout(() => seen.push(['late', c.now()]), 31);
    c.advance(30);
    expect(seen).toEqual([
      ['a', 10],
      ['b', 20],
      ['c', 20],
    ]);
    expect(c.now()).toBe(30);
    expect(c.pending()).toBe(1);
  });

  it('runs a timer scheduled by a timer when it falls due within the same advance', () => {
    const c = new ManualClock(0);
    const seen: number[] = [];
    const tick = (): void => {
      seen.push(c.now());
      c.setTimeout(tick, 10);
    };
    c.setTimeout(tick, 10);
    c.advance(35);
    expect(seen).toEqual([10, 20, 30]);
  });

  it('clearTimeout cancels', () => {
    const c = new ManualClock(0);
    let ran = false;
    const h = c.setTimeout(() => (ran = true), 5);
    c.clearTimeout(h);
    c.advance(10);
    expect(ran).toBe(false);
    expect(c.pending()).toBe(0);
  });

  it('advanceAsync awaits each callback before the next', async () => {
    const c = new ManualClock(0);
    const order: string[] = [];
    c.setTimeout(async () => {
      order.push('start-1');
      await new Promise((r) => setImmediate(r));
      order.push('end-1');
    }, 1);
    c.setTimeout(() => order.push('2'), 2);
    await c.advanceAsync(5);
    expect(order).toEqual(['start-1', 'end-1', '2']);
  });

  it('sleep resolves once the clock passes the delay', async () => {
    const c = new ManualClock(0);
    let done = false;
    const p = sleep(c, 100).then(() => (done = true));
    c.advance(99);
    await Promise.resolve();
    expect(done).toBe(false);
    c.advance(1);
    await p;
    expect(done).toBe(true);
  });

  it('sleep ends early when its signal aborts, and its timer is cancelled', async () => {
    const c = new ManualClock(0);
    const ac = new AbortController();
    let done = false;
    const p = sleep(c, 100, ac.signal).then(() => (done = true));
    expect(c.pending()).toBe(1);
    await Promise.resolve();
    expect(done).toBe(false);
    ac.abort();
    await p;
    expect(done).toBe(true);
    expect(c.pending()).toBe(0);
    expect(c.now()).toBe(0);
  });

  it('sleep with an aborted signal resolves at once without scheduling; a finished sleep leaves no abort listener', async () => {
    const c = new ManualClock(0);
    const ac = new AbortController();
    ac.abort();
    await sleep(c, 1000, ac.signal);
    expect(c.pending()).toBe(0);
    const live = new AbortController();
    let listeners = 0;
    const add = live.signal.addEventListener.bind(live.signal);
    const remove = live.signal.removeEventListener.bind(live.signal);
    live.signal.addEventListener = ((...a: Parameters<typeof add>) => ((listeners += 1), add(...a))) as typeof add;
    live.signal.removeEventListener = ((...a: Parameters<typeof remove>) => ((listeners -= 1), remove(...a))) as typeof remove;
    const p = sleep(c, 10, live.signal);
    expect(listeners).toBe(1);
    c.advance(10);
    await p;
    expect(listeners).toBe(0);
  });
});

describe('systemClock', () => {
  it('tells the wall time and runs real timers', async () => {
    const before = Date.now();
    expect(systemClock.now()).toBeGreaterThanOrEqual(before);
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 1));
    let ran = false;
    const h = systemClock.setTimeout(() => (ran = true), 1);
    systemClock.clearTimeout(h);
    await new Promise((r) => setTimeout(r, 10));
    expect(ran).toBe(false);
  });

  it('iso writes UTC RFC 3339', () => {
    expect(iso(Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02T03:04:05.006Z');
  });
});
