import { EventEmitter } from 'node:events';
import { InvalidConfigError } from './errors';
import { LifecycleGuard } from './lifecycle';
import { runService, type ServiceProcess } from './runService';

class FakeProcess extends EventEmitter implements ServiceProcess {
  exitCode?: number;
  exits: number[] = [];
  channel: { unref(): void } | undefined;
  exit(code: number): void {
    this.exits.push(code);
  }
}

function service(opts: { failStart?: Error; stopMs?: number } = {}): LifecycleGuard & { calls: string[] } {
  const calls: string[] = [];
  const g = new LifecycleGuard(
    'svc',
    async () => {
      calls.push('start');
      if (opts.failStart) throw opts.failStart;
    },
    async (reason) => {
      calls.push(`stop:${reason}`);
      if (opts.stopMs) await new Promise((r) => setTimeout(r, opts.stopMs));
    },
  );
  return Object.assign(g, { calls });
}

function run(proc: FakeProcess, svc: ReturnType<typeof service>, o: { errors?: string[]; stopTimeoutMs?: number } = {}): { lines: Array<Record<string, unknown>>; done: Promise<void> } {
  const lines: Array<Record<string, unknown>> = [];
  const done = runService({
    name: 'phoenix-test',
    config: { config: { logLevel: 'info' as const, port: 1 }, errors: o.errors ?? [] },
    create: () => svc,
    describe: (c) => ({ port: c.port }),
    stopTimeoutMs: o.stopTimeoutMs ?? 1000,
    sink: (l) => lines.push(JSON.parse(l) as Record<string, unknown>),
    proc,
  });
  return { lines, done };
}

const flush = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('runService', () => {
  it('an invalid configuration exits 2 with every problem, and nothing starts', async () => {
    const proc = new FakeProcess();
    const svc = service();
    const { lines, done } = run(proc, svc, { errors: ['a (A): bad', 'b: worse'] });
    await done;
    expect(proc.exitCode).toBe(2);
    expect(svc.calls).toEqual([]);
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'invalid configuration', service: 'phoenix-test', errors: ['a (A): bad', 'b: worse'] });
  });

  it('an InvalidConfigError thrown at start exits 2; another failure exits 1; both stop what started', async () => {
    const p1 = new FakeProcess();
    const s1 = service({ failStart: new InvalidConfigError(['rules: not a file']) });
    await run(p1, s1).done;
    expect(p1.exitCode).toBe(2);
    expect(s1.calls).toEqual(['start', 'stop:failed to start']);
    const p2 = new FakeProcess();
    const s2 = service({ failStart: new Error('EADDRINUSE') });
    const r2 = run(p2, s2);
    await r2.done;
    expect(p2.exitCode).toBe(1);
    expect(r2.lines[0]).toMatchObject({ msg: 'failed to start', err: { message: 'EADDRINUSE' } });
  });

  it('starts, logs what it serves, and stops once on SIGTERM with exit 0', async () => {
    const proc = new FakeProcess();
    const svc = service();
    const { lines, done } = run(proc, svc);
    await done;
    expect(lines[0]).toMatchObject({ msg: 'phoenix-test started', port: 1 });
    proc.emit('SIGTERM');
    await flush();
    expect(svc.calls).toEqual(['start', 'stop:phoenix-test stopped (SIGTERM)']);
    expect(proc.exits).toEqual([0]);
  });

  it('logs "started" only once SIGTERM and SIGINT are handled (a supervisor may signal on that line)', async () => {
    const proc = new FakeProcess();
    const handled: number[] = [];
    await runService({
      name: 'phoenix-test',
      config: { config: { logLevel: 'info' as const }, errors: [] },
      create: () => service(),
      describe: () => ({}),
      stopTimeoutMs: 1000,
      sink: (l) => {
        if ((JSON.parse(l) as { msg: string }).msg === 'phoenix-test started') handled.push(proc.listenerCount('SIGTERM'), proc.listenerCount('SIGINT'));
      },
      proc,
    });
    expect(handled).toEqual([1, 1]);
  });

  it('a second signal while stopping exits 1 at once', async () => {
    const proc = new FakeProcess();
    const svc = service({ stopMs: 100 });
    await run(proc, svc).done;
    proc.emit('SIGINT');
    proc.emit('SIGINT');
    expect(proc.exits).toEqual([1]);
    await flush(150);
  });

  it('a stop longer than the deadline exits 1', async () => {
    const proc = new FakeProcess();
    const svc = service({ stopMs: 300 });
    const { lines, done } = run(proc, svc, { stopTimeoutMs: 50 });
    await done;
    proc.emit('SIGTERM');
    await flush(100);
    expect(proc.exits).toEqual([1]);
    expect(lines.some((l) => l.msg === 'shutdown took too long, exiting')).toBe(true);
    await flush(300);
  });

  it('stops when the supervisor IPC channel closes, and an uncaught exception stops with exit 1', async () => {
    const proc = new FakeProcess();
    let unrefs = 0;
    proc.channel = { unref: () => void unrefs++ };
    const svc = service();
    await run(proc, svc).done;
    expect(unrefs).toBe(1);
    proc.emit('disconnect');
    await flush();
    expect(svc.calls).toEqual(['start', 'stop:phoenix-test stopped (supervisor gone)']);
    expect(proc.exits).toEqual([0]);

    const p2 = new FakeProcess();
    const s2 = service();
    await run(p2, s2).done;
    p2.emit('uncaughtException', new Error('oops'));
    await flush();
    expect(p2.exits).toEqual([1]);
  });
});
