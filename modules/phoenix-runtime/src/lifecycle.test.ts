import { GuardedLifecycle, LifecycleGuard, StopStack, startLifecycle, type Lifecycle } from './lifecycle';

function counting(opts: { failStart?: boolean } = {}): { guard: LifecycleGuard; calls: string[] } {
  const calls: string[] = [];
  const guard = new LifecycleGuard(
    'thing',
    async () => {
      calls.push('start');
      await new Promise((r) => setImmediate(r));
      if (opts.failStart) throw new Error('port in use');
    },
    async (reason) => {
      calls.push(`stop:${reason}`);
      await new Promise((r) => setImmediate(r));
    },
  );
  return { guard, calls };
}

describe('LifecycleGuard', () => {
  it('start → stop runs each once', async () => {
    const { guard, calls } = counting();
    await guard.start();
    expect(guard.current).toBe('started');
    await guard.stop('test');
    expect(guard.current).toBe('stopped');
    expect(calls).toEqual(['start', 'stop:test']);
  });

  it('start twice returns the same promise; stop twice one stop', async () => {
    const { guard, calls } = counting();
    const a = guard.start();
    expect(guard.start()).toBe(a);
    await a;
    const s1 = guard.stop();
    expect(guard.stop()).toBe(s1);
    await s1;
    await guard.stop();
    expect(calls).toEqual(['start', 'stop:stopped']);
  });

  it('stop without start releases once and resolves; start after it is refused', async () => {
    const { guard, calls } = counting();
    await guard.stop();
    await guard.stop();
    expect(calls).toEqual(['stop:stopped']);
    await expect(guard.start()).rejects.toThrow('thing is stopped; it cannot be started again');
  });

  it('stop while starting waits for the start, then stops', async () => {
    const { guard, calls } = counting();
    const started = guard.start();
    const stopped = guard.stop();
    await Promise.all([started, stopped]);
    expect(calls).toEqual(['start', 'stop:stopped']);
  });

  it('a failed start rejects, and stop still releases what was acquired', async () => {
    const { guard, calls } = counting({ failStart: true });
    await expect(guard.start()).rejects.toThrow('port in use');
    await guard.stop();
    expect(calls).toEqual(['start', 'stop:stopped']);
  });
});

describe('startLifecycle', () => {
  const component = (fail: boolean): Lifecycle & { calls: string[] } => {
    const calls: string[] = [];
    return {
      calls,
      start: async () => {
        calls.push('start');
        if (fail) throw new Error('port taken');
      },
      stop: async (reason?: string) => {
        calls.push(`stop: ${reason}`);
      },
    };
  };

  it('resolves with the started component; a failed start is stopped and its error rethrown', async () => {
    const ok = component(false);
    await expect(startLifecycle(ok)).resolves.toBe(ok);
    expect(ok.calls).toEqual(['start']);
    const bad = component(true);
    await expect(startLifecycle(bad)).rejects.toThrow('port taken');
    expect(bad.calls).toEqual(['start', 'stop: failed to start']);
  });
});

describe('StopStack', () => {
  it('stops last first, every entry, and reports the failures together', async () => {
    const s = new StopStack();
    const order: string[] = [];
    s.push('a', () => void order.push('a'));
    s.push('b', () => {
      order.push('b');
      throw new Error('b broke');
    });
    s.push('c', async () => void order.push('c'));
    await expect(s.stopAll()).rejects.toThrow('stop failed: b: b broke');
    expect(order).toEqual(['c', 'b', 'a']);
    await s.stopAll();
    expect(order).toEqual(['c', 'b', 'a']);
  });
});

describe('GuardedLifecycle', () => {
  class Thing extends GuardedLifecycle {
    readonly calls: string[] = [];
    constructor() {
      super('the thing');
    }
    protected async doStart(): Promise<void> {
      this.calls.push('start');
    }
    protected async doStop(reason: string): Promise<void> {
      this.calls.push(`stop:${reason}`);
    }
  }

  it('start twice is one start, stop twice one stop, with the reason; no start after stop', async () => {
    const t = new Thing();
    const first = t.start();
    expect(t.start()).toBe(first);
    await first;
    const stopping = t.stop('test');
    expect(t.stop()).toBe(stopping);
    await stopping;
    expect(t.calls).toEqual(['start', 'stop:test']);
    await expect(t.start()).rejects.toThrow('the thing is stopped; it cannot be started again');
  });

  it('stop without start runs doStop once, with the default reason', async () => {
    const t = new Thing();
    await t.stop();
    expect(t.calls).toEqual(['stop:stopped']);
  });
});
