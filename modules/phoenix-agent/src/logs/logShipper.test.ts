import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger, createLogLimiter, ManualClock, memoryLogger } from '@phoenix/runtime';
import { OutboxLane } from '../outbox/outboxLane';
import { SeqCounter } from '../state/seqCounter';
import { MetricsRegistry } from '../telemetry/metrics';
import { LogShipper, parse } from './logShipper';
import type { LogLine } from '@phoenix/contracts';

describe('LogShipper', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-agent-logs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('prints every line, keeps a ring, and queues info and above in batches with increasing seqs', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const printed: string[] = [];
    const shipper = new LogShipper({ clock, shipLevel: 'info', ringSize: 3, flushMs: 1000, out: (l) => printed.push(l) });
    const log = createLogger({ level: 'debug', clock, sink: shipper.sink, fields: { service: 'phoenix-agent' } });
    log.info('before the outbox is open');
    log.debug('debug stays local');
    const registry = new MetricsRegistry();
    const m = memoryLogger();
    const lane = new OutboxLane<LogLine>({
      name: 'logs',
      file: path.join(dir, 'outbox-logs.jsonl'),
      maxEntries: 100,
      log: m,
      limiter: createLogLimiter(m, { clock }),
      metrics: { entries: registry.gauge('e', 'e', ['lane']), dropped: registry.counter('d_total', 'd', ['lane']) },
    });
    lane.open();
    const seq = new SeqCounter(path.join(dir, 'seq.json'), clock);
    seq.open();
    shipper.attach(lane, seq);
    shipper.childLine('core', '{"ts":"2026-01-01T00:00:00.500Z","level":"warn","msg":"control file rejected","component":"control"}');
    shipper.childLine('control', 'plain text line');
    expect(lane.size).toBe(0);
    await clock.advanceAsync(1000);
    const base = Date.UTC(2026, 0, 1) * 1000;
    expect(lane.peek(10).map((e) => e.payload)).toEqual([
      { seq: base, ts: '2026-01-01T00:00:00.000Z', source: 'agent', level: 'info', msg: 'before the outbox is open', fields: { service: 'phoenix-agent' } },
      { seq: base + 1, ts: '2026-01-01T00:00:00.500Z', source: 'core', level: 'warn', msg: 'control file rejected', fields: { component: 'control' } },
      { seq: base + 2, ts: '2026-01-01T00:00:00.000Z', source: 'control', level: 'info', msg: 'plain text line' },
    ]);
    expect(printed).toHaveLength(4);
    expect(shipper.recent(10).map((l) => l.msg)).toEqual(['debug stays local', 'control file rejected', 'plain text line']);
    shipper.detach();
    log.error('after detach: printed only');
    expect(lane.size).toBe(3);
    lane.close();
  });

  test('parse caps a long message and large fields', () => {
    const line = parse('agent', JSON.stringify({ level: 'info', msg: 'x'.repeat(9000), big: 'y'.repeat(5000) }), 0);
    expect(line.msg).toHaveLength(8192);
    expect(line.fields).toEqual({ truncated: true, size: 5010 });
  });
});
