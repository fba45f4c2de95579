import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogLimiter, ManualClock, memoryLogger } from '@phoenix/runtime';
import { MetricsRegistry } from '../telemetry/metrics';
import { OutboxLane } from './outboxLane';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-agent-outbox-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function lane(maxEntries = 5) {
  const registry = new MetricsRegistry();
  const log = memoryLogger();
  const metrics = { entries: registry.gauge('entries', 'x', ['lane']), dropped: registry.counter('dropped_total', 'x', ['lane']) };
  const l = new OutboxLane<string>({ name: 'metrics', file: path.join(dir, 'outbox-metrics.jsonl'), maxEntries, log, limiter: createLogLimiter(log, { first: 2, clock: new ManualClock() }), metrics });
  return { l, metrics, log };
}

describe('OutboxLane', () => {
  test('ordered by seq; a seq not above the last added is a duplicate and ignored', () => {
    const { l } = lane();
    l.open();
    expect(l.add([{ seq: 10, payload: 'a' }, { seq: 11, payload: 'b' }])).toBe(2);
    expect(l.add([{ seq: 11, payload: 'b again' }, { seq: 9, payload: 'old' }, { seq: 12, payload: 'c' }])).toBe(1);
    expect(l.peek(10)).toEqual([
      { seq: 10, payload: 'a' },
      { seq: 11, payload: 'b' },
      { seq: 12, payload: 'c' },
    ]);
    l.ack(11);
    expect(l.peek(10)).toEqual([{ seq: 12, payload: 'c' }]);
    expect(l.lastSeq).toBe(12);
  });

  test('persisted: a reopened lane has what was not acknowledged, and keeps rejecting old seqs', () => {
    const { l } = lane();
    l.open();
    l.add([1, 2, 3].map((seq) => ({ seq, payload: `p${seq}` })));
    l.ack(1);
    l.close();
    const { l: again, metrics } = lane();
    again.open();
    expect(again.peek(10)).toEqual([
      { seq: 2, payload: 'p2' },
      { seq: 3, payload: 'p3' },
    ]);
    expect(metrics.entries.get({ lane: 'metrics' })).toBe(2);
    again.ack(3);
    again.close();
    const { l: third } = lane();
    third.open();
    expect(third.size).toBe(0);
    expect(third.add([{ seq: 3, payload: 'dup' }])).toBe(0);
    expect(third.lastSeq).toBe(3);
  });

  test('bounded: when full the oldest entry is dropped, counted and logged (rate-limited)', () => {
    const { l, metrics, log } = lane(3);
    l.open();
    for (let s = 1; s <= 6; s++) l.add([{ seq: s, payload: `p${s}` }]);
    expect(l.peek(10).map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(metrics.dropped.get({ lane: 'metrics' })).toBe(3);
    expect(log.records.filter((r) => r.msg === 'outbox full: dropped the oldest entry').map((r) => r.seq)).toEqual([1, 2]);
  });

  test('compacts its file once acknowledgements pile up', () => {
    const { l } = lane(5000);
    l.open();
    for (let s = 1; s <= 1200; s++) {
      l.add([{ seq: s, payload: 'x' }]);
      l.ack(s);
    }
    l.close();
    const lines = fs.readFileSync(path.join(dir, 'outbox-metrics.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThan(1010);
    const { l: again } = lane(5000);
    again.open();
    expect([again.size, again.lastSeq]).toEqual([0, 1200]);
  });

  test('onAdd listeners hear new entries, not duplicates', () => {
    const { l } = lane();
    l.open();
    let heard = 0;
    const off = l.onAdd(() => (heard += 1));
    l.add([{ seq: 1, payload: 'a' }]);
    l.add([{ seq: 1, payload: 'a' }]);
    off();
    l.add([{ seq: 2, payload: 'b' }]);
    expect(heard).toBe(1);
  });
});
