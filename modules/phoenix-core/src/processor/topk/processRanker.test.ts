import { decodeJsonRequest } from '../../otlp/decodeJsonRequest';
import { counter, request } from '../../../test/otlpFixtures';
import { pipelineCore } from '../../../test/pipelineHarness';

describe('ProcessRanker', () => {
  test('a process exporting every 200 ms holds at most 13 window entries, and its rate stays within one entry of exact', () => {
    const WINDOW_MS = 60_000;
    const { core, clock } = pipelineCore((c) => {
      c.topk.windowMs = WINDOW_MS;
    });
    const attrs = { 'process.pid': 42, 'process.executable.name': 'busy', 'process.command_line': 'busy --spin' };
    let total = 0;
    // 2 minutes of exports 200 ms apart, each 1 s of CPU time more: an exact rate of 5/s
    for (let i = 0; i < 600; i++) {
      clock.advance(200);
      total += 1;
      const points = [{ value: total, attrs, timeMs: clock.now(), startMs: 1_600_000_000_000 }];
      expect(core.store.ingest(decodeJsonRequest(request('h1', [counter('process.cpu.time', points, { unit: 's' })]))).rejected).toBe(0);
    }
    core.rank(); // prunes entries older than the window
    const p = [...(core.topk.ranker.hosts.get('h1')?.values() ?? [])];
    expect(p).toHaveLength(1);
    // one entry per twelfth of the window (5 s) rather than one per second: bounded memory at any export rate
    expect(p[0].entries.length / 2).toBeGreaterThanOrEqual(12);
    expect(p[0].entries.length / 2).toBeLessThanOrEqual(13);
    // an entry is dated at its first increase, so the oldest may drop out of the window up to 5 s early
    const rate = core.topk.ranker.rate(p[0]);
    expect(rate).toBeLessThanOrEqual(5);
    expect(rate).toBeGreaterThanOrEqual((5 * (WINDOW_MS - WINDOW_MS / 12)) / WINDOW_MS);
  });
});
