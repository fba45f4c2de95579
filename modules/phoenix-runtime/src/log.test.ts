import { ManualClock } from './clock';
import { createLogger, isLogLevel, memoryLogger, silentLogger } from './log';
import { createLogLimiter } from './logLimiter';

function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'info'): { lines: Array<Record<string, unknown>>; log: ReturnType<typeof createLogger> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ level, clock: new ManualClock(Date.UTC(2026, 0, 1)), sink: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) });
  return { lines, log };
}

describe('createLogger', () => {
  it('writes one JSON object per line with ts, level, msg and fields', () => {
    const { lines, log } = capture();
    log.info('hello', { n: 1 });
    expect(lines).toEqual([{ ts: '2026-01-01T00:00:00.000Z', level: 'info', msg: 'hello', n: 1 }]);
  });

  it('drops lines below its level', () => {
    const { lines, log } = capture('warn');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines.map((l) => l.level)).toEqual(['warn', 'error']);
  });

  it('child loggers add their fields to every line and keep the parent level and sink', () => {
    const { lines, log } = capture('info');
    const child = log.child({ service: 's' }).child({ component: 'c' });
    child.debug('hidden');
    child.warn('x', { k: 'v' });
    expect(lines).toEqual([{ ts: '2026-01-01T00:00:00.000Z', level: 'warn', msg: 'x', service: 's', component: 'c', k: 'v' }]);
  });

  it('serialises errors as name and message, and survives unserialisable fields and a throwing sink', () => {
    const { lines, log } = capture();
    log.error('boom', { err: new TypeError('bad') });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    log.info('cyclic', { cyclic });
    expect(lines[0].err).toEqual({ message: 'bad', name: 'TypeError' });
    expect(lines[1]).toEqual({ ts: '2026-01-01T00:00:00.000Z', level: 'info', msg: 'cyclic', note: 'fields not serialisable' });
    const throwing = createLogger({ sink: () => { throw new Error('disk full'); } });
    expect(() => throwing.error('x')).not.toThrow();
  });

  it('memoryLogger keeps every level; silentLogger keeps nothing', () => {
    const m = memoryLogger();
    m.debug('a');
    m.child({ x: 1 }).error('b');
    expect(m.records.map((r) => [r.msg, r.level, r.x])).toEqual([
      ['a', 'debug', undefined],
      ['b', 'error', 1],
    ]);
    expect(() => silentLogger().error('nothing')).not.toThrow();
  });

  it('isLogLevel knows the four levels', () => {
    expect(['debug', 'info', 'warn', 'error'].every(isLogLevel)).toBe(true);
    expect(isLogLevel('trace')).toBe(false);
  });
});

describe('createLogLimiter', () => {
  it('logs the first N of a key, then one line per interval with the count held back', () => {
    const clock = new ManualClock(0);
    const log = memoryLogger();
    const lim = createLogLimiter(log, { first: 3, intervalMs: 1000, clock });
    for (let i = 0; i < 10; i++) lim.warn('k', 'bad point', { i });
    expect(log.records.map((r) => r.i)).toEqual([0, 1, 2]);
    expect(lim.suppressed()).toBe(7);
    clock.advance(1000);
    lim.warn('k', 'bad point', { i: 10 });
    expect(log.records).toHaveLength(4);
    expect(log.records[3]).toMatchObject({ level: 'warn', i: 10, suppressed: 7, total: 11 });
    lim.warn('k', 'bad point', { i: 11 });
    expect(log.records).toHaveLength(4);
  });

  it('limits each key on its own', () => {
    const clock = new ManualClock(0);
    const log = memoryLogger();
    const lim = createLogLimiter(log, { first: 1, intervalMs: 1000, clock });
    lim.error('a', 'x');
    lim.error('a', 'x');
    lim.error('b', 'y');
    expect(log.records.map((r) => [r.msg, r.level])).toEqual([
      ['x', 'error'],
      ['y', 'error'],
    ]);
    expect(lim.suppressed()).toBe(1);
  });
});
