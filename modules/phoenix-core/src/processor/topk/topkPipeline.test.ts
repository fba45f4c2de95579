import { parseExposition } from '@phoenix/runtime';
import { decodeJsonRequest } from '../../otlp/decodeJsonRequest';
import { counter, gauge, request, type AnyJson } from '../../../test/otlpFixtures';
import { pipelineCore, renderPipeline } from '../../../test/pipelineHarness';

/**
 * Re-ranking moves only the series of processes whose membership changed, finding a series' process
 * from the ranker's slot where it can and by decoding the series where it cannot: series of other
 * metrics created before their process was ranked, and processes the ranker dropped while their
 * other series live on.
 */
describe('experimental_topk re-ranking', () => {
  const STEP_MS = 10_000;
  const proc = (pid: number) => ({ 'process.pid': pid, 'process.executable.name': `app${pid}`, 'process.command_line': `app${pid} --serve` });

  function setup() {
    const { core, clock } = pipelineCore((c) => {
      c.topk.windowMs = 30_000;
      c.topk.margin = 0;
      c.store.stalenessMs = 25_000;
      c.rollup.stalenessMs = 25_000;
    });
    core.topk.setK(1);
    const cpu = new Map<number, number>();
    /** one export: memory first (so its series exist before the process is ranked), then CPU time */
    const send = (memOnly: number[], cpuRates: Record<number, number>) => {
      clock.advance(STEP_MS);
      const now = clock.now();
      const metrics: AnyJson[] = [gauge('process.memory.usage', [...memOnly, ...Object.keys(cpuRates).map(Number)].map((pid) => ({ value: pid * 1000, attrs: proc(pid), timeMs: now })), 'By')];
      const cpuPoints = Object.entries(cpuRates).map(([p, rate]) => {
        const pid = Number(p);
        cpu.set(pid, (cpu.get(pid) ?? 0) + rate * (STEP_MS / 1000));
        return { value: cpu.get(pid) ?? 0, attrs: proc(pid), timeMs: now, startMs: 1_600_000_000_000 };
      });
      if (cpuPoints.length > 0) metrics.push(counter('process.cpu.time', cpuPoints, { unit: 's' }));
      const res = core.store.ingest(decodeJsonRequest(request('h1', metrics)));
      expect(res.rejected).toBe(0);
    };
    /** pid label of each individual memory series of the top-k output, and whether an others series exists */
    const memory = () => {
      const samples = parseExposition(renderPipeline(core, 'experimental_topk').text, { strict: true }).samples.filter((s) => s.name === 'process_memory_usage_bytes');
      return {
        individual: samples.filter((s) => s.labels.process_pid !== undefined).map((s) => Number(s.labels.process_pid)).sort((a, b) => a - b),
        others: samples.filter((s) => s.labels.process_pid === undefined).map((s) => s.labels.phoenix_rollup ?? '?'),
      };
    };
    return { core, send, memory };
  }

  test('the memory series of the process that becomes the top one moves out of others, and back when it falls', () => {
    const { core, send, memory } = setup();
    send([], { 1: 1, 2: 1, 3: 1 });
    send([], { 1: 5, 2: 1, 3: 1 });
    expect(core.rank()).toBeGreaterThan(0);
    expect([...core.topk.membersOf('h1')]).toHaveLength(1);
    expect(memory()).toEqual({ individual: [1], others: ['others'] });
    // process 3 takes over: its memory series (created before any ranking) must leave others
    for (let i = 0; i < 4; i++) send([], { 1: 0, 2: 1, 3: 9 });
    core.rank();
    expect(memory()).toEqual({ individual: [3], others: ['others'] });
  });

  test('a process the ranker dropped (its CPU time stopped) gives its memory series back to others', () => {
    const { core, send, memory } = setup();
    // process 4 reports memory only at first: its memory series is created before the ranker knows it
    send([4], { 1: 1 });
    send([], { 1: 1, 4: 1 });
    send([], { 1: 1, 4: 50 });
    core.rank();
    expect(memory()).toEqual({ individual: [4], others: ['others'] });
    // process 4 stops reporting CPU time but keeps its memory series alive: the ranker drops it
    for (let i = 0; i < 4; i++) send([4], { 1: 1 });
    core.rank();
    expect(core.topk.ranker.hosts.get('h1')?.has([...core.topk.membersOf('h1')][0] ?? '')).toBe(true);
    expect(memory()).toEqual({ individual: [1], others: ['others'] });
  });
});
