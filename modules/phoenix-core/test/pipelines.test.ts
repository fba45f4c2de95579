/**
 * The reduction pipelines on synthetic workloads: exact totals per host and metric, monotonic
 * rollup counters, top-k membership equal to a brute-force reference, and series counts equal to
 * what the rules imply — on the standard workload and on random workloads with churn.
 */
import fc from 'fast-check';
import type { PipelineName } from '../src/processor/pipeline';
import { ingestRound, pipelineCore, renderPipeline, ROUND_MS, totalsByHostFamily } from './pipelineHarness';
import { Reference } from './reference';
import { Workload } from './workload';
import { decodeJsonRequest } from '../src/otlp/decodeJsonRequest';

const WINDOW_MS = 60_000;

function expectTotals(actual: Map<string, number>, expected: Map<string, number>, what: string): void {
  const keys = new Set([...actual.keys(), ...expected.keys()]);
  for (const k of keys) {
    if (actual.get(k) !== expected.get(k)) {
      throw new Error(`${what}: total for ${k.replace('\u0000', ' / ')} is ${actual.get(k)}, expected ${expected.get(k)}`);
    }
  }
}

describe('reduction pipelines', () => {
  test('standard workload (3 hosts × 250 processes, heavy-tailed CPU): series per pipeline and profile, and the KPIs', () => {
    const report: Record<string, unknown> = {};
    for (const profile of ['conservative', 'balanced', 'aggressive'] as const) {
      const { core, clock } = pipelineCore((c) => {
        c.topk.windowMs = WINDOW_MS;
        c.topk.margin = 0.1;
      });
      core.optimized.setProfile(profile);
      core.topk.setK(10);
      const w = new Workload({ hosts: 3, processes: 250, seed: 42 });
      const ref = new Reference();
      for (let r = 0; r < 7; r++) {
        ingestRound(core, clock, w);
        ref.observe(w, clock.now());
        core.rank();
        ref.rank(clock.now(), WINDOW_MS, 10, 0.1);
      }
      const ff = renderPipeline(core, 'full_fidelity');
      const opt = renderPipeline(core, 'optimized');
      const tk = renderPipeline(core, 'experimental_topk');
      expect(ff.series).toBe(3 * 250 * 6);
      expect(opt.series).toBe(ref.optimizedSeries(profile));
      expect(tk.series).toBe(ref.topkSeries());
      const k = core.refreshKpis();
      expect(k.pipelines.optimized.series).toBe(opt.series);
      expect(k.pipelines.experimental_topk.series).toBe(tk.series);
      expect(k.optimizedSeriesByProfile[profile]).toBe(opt.series);
      expect(k.pipelines.optimized.totalsPreservation).toBe(1);
      expect(k.pipelines.experimental_topk.totalsPreservation).toBe(1);
      expect(k.pipelines.experimental_topk.heavyHitterRecall).toBe(1);
      expect(k.pipelines.experimental_topk.costReduction).toBeGreaterThanOrEqual(0.9);
      report[profile] = {
        full_fidelity: k.pipelines.full_fidelity,
        optimized: k.pipelines.optimized,
        experimental_topk_k10: k.pipelines.experimental_topk,
        optimizedSeriesByProfile: k.optimizedSeriesByProfile,
        topkStreams: k.topkStreams,
      };
    }
    // the figures for a closing note, on request (PHOENIX_PIPELINES_REPORT=1)
    if (process.env.PHOENIX_PIPELINES_REPORT) console.log(JSON.stringify(report, null, 2));
  });

  test('random workloads with churn, restarts and counter resets: exact totals, monotonic rollups, reference top-k, rule-implied series counts', () => {
    fc.assert(
      fc.property(
        fc.record({
          hosts: fc.integer({ min: 1, max: 3 }),
          processes: fc.integer({ min: 1, max: 30 }),
          seed: fc.integer(),
          exitRate: fc.double({ min: 0, max: 0.2, noNaN: true }),
          restartRate: fc.double({ min: 0, max: 0.2, noNaN: true }),
          resetRate: fc.double({ min: 0, max: 0.2, noNaN: true }),
          k: fc.integer({ min: 1, max: 8 }),
          margin: fc.constantFrom(0, 0.1, 0.5),
          profile: fc.constantFrom('conservative' as const, 'balanced' as const, 'aggressive' as const),
          rounds: fc.integer({ min: 1, max: 9 }),
        }),
        (o) => {
          const { core, clock } = pipelineCore((c) => {
            c.topk.windowMs = WINDOW_MS;
            c.topk.margin = o.margin;
          });
          core.optimized.setProfile(o.profile);
          core.topk.setK(o.k);
          const w = new Workload(o);
          const ref = new Reference();
          const previous: Record<string, Map<string, number>> = { optimized: new Map(), experimental_topk: new Map() };
          for (let r = 0; r < o.rounds; r++) {
            ingestRound(core, clock, w);
            ref.observe(w, clock.now());
            core.rank();
            const members = ref.rank(clock.now(), WINDOW_MS, o.k, o.margin);
            for (const [host, set] of members) expect([...core.topk.membersOf(host)].sort()).toEqual([...set].sort());

            expectTotals(totalsByHostFamily(renderPipeline(core, 'full_fidelity').exp), ref.totals('raw'), 'full_fidelity');
            for (const p of ['optimized', 'experimental_topk'] as PipelineName[]) {
              const out = renderPipeline(core, p);
              expectTotals(totalsByHostFamily(out.exp), ref.totals('reduced'), p);
              // every counter series of a reduction pipeline is monotonic, rollups included
              for (const s of out.exp.samples) {
                if (!s.name.endsWith('_total')) continue;
                const id = `${s.name}${JSON.stringify(s.labels)}`;
                const before = previous[p].get(id);
                if (before !== undefined && s.value < before) throw new Error(`${p}: ${id} went from ${before} to ${s.value}`);
                previous[p].set(id, s.value);
              }
            }
            expect(renderPipeline(core, 'experimental_topk').series).toBe(ref.topkSeries());
            expect(renderPipeline(core, 'optimized').series).toBe(ref.optimizedSeries(o.profile));
            const k = core.refreshKpis();
            expect(k.pipelines.optimized.totalsPreservation).toBe(1);
            expect(k.pipelines.experimental_topk.totalsPreservation).toBe(1);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  test('changing profile and k live keeps every rollup counter monotonic and totals exact', () => {
    const { core, clock } = pipelineCore((c) => {
      c.topk.windowMs = WINDOW_MS;
    });
    const w = new Workload({ hosts: 2, processes: 40, seed: 7, exitRate: 0.05, restartRate: 0.05, resetRate: 0.05 });
    const ref = new Reference();
    const seen = new Map<string, number>();
    const settings: Array<['conservative' | 'balanced' | 'aggressive', number]> = [
      ['balanced', 5],
      ['aggressive', 2],
      ['conservative', 12],
      ['aggressive', 1],
      ['balanced', 30],
    ];
    for (const [profile, k] of settings) {
      core.optimized.setProfile(profile);
      core.topk.setK(k);
      for (let r = 0; r < 3; r++) {
        ingestRound(core, clock, w);
        ref.observe(w, clock.now());
        core.rank();
        for (const p of ['optimized', 'experimental_topk'] as PipelineName[]) {
          const out = renderPipeline(core, p);
          expectTotals(totalsByHostFamily(out.exp), ref.totals('reduced'), `${p} (${profile}, k=${k})`);
          for (const s of out.exp.samples) {
            if (!s.name.endsWith('_total')) continue;
            const id = `${p}${s.name}${JSON.stringify(s.labels)}`;
            expect(s.value).toBeGreaterThanOrEqual(seen.get(id) ?? 0);
            seen.set(id, s.value);
          }
        }
      }
    }
  });

  test('groups left without members expire after the empty-group TTL; their carry keeps totals exact', () => {
    const { core, clock } = pipelineCore((c) => {
      c.topk.windowMs = WINDOW_MS;
      c.rollup.emptyGroupTtlMs = 30_000;
    });
    core.topk.setK(20);
    const w = new Workload({ hosts: 1, processes: 30, seed: 5 });
    const ref = new Reference();
    for (let r = 0; r < 3; r++) {
      ingestRound(core, clock, w);
      ref.observe(w, clock.now());
      core.rank();
    }
    const individualCpu = () =>
      renderPipeline(core, 'experimental_topk').exp.samples.filter((s) => s.name === 'process_cpu_time_seconds_total' && s.labels.state === 'user' && !s.labels.phoenix_rollup).length;
    // let the groups of processes demoted while the ranking settled expire
    clock.advance(25_000);
    ingestRound(core, clock, w);
    ref.observe(w, clock.now());
    core.sweep();
    expect(individualCpu()).toBe(20);
    core.topk.setK(2);
    expect(individualCpu()).toBe(20); // the 18 demoted processes' counters still carry their values
    clock.advance(10_000);
    ingestRound(core, clock, w); // clock now 20 s after the last point routed to the demoted groups
    ref.observe(w, clock.now());
    core.sweep();
    expect(individualCpu()).toBe(20);
    clock.advance(11_000);
    core.sweep();
    expect(individualCpu()).toBe(2);
    const rendered = totalsByHostFamily(renderPipeline(core, 'experimental_topk').exp);
    for (const [k, v] of core.topk.expiredCarry) rendered.set(k, (rendered.get(k) ?? 0) + v);
    expectTotals(rendered, ref.totals('reduced'), 'experimental_topk after expiry');
    expect(core.refreshKpis().pipelines.experimental_topk.totalsPreservation).toBe(1);
  });

  test('totals stay exact when exited processes expire from the store and their rollups expire too', () => {
    const { core, clock } = pipelineCore((c) => {
      c.store.stalenessMs = 60_000;
      c.rollup.stalenessMs = 60_000;
      c.rollup.emptyGroupTtlMs = 30_000;
    });
    core.optimized.setProfile('aggressive');
    core.topk.setK(3);
    const w = new Workload({ hosts: 2, processes: 25, seed: 9, exitRate: 0.2, restartRate: 0.1, resetRate: 0.1 });
    let expiredInputs = 0;
    for (let r = 0; r < 20; r++) {
      ingestRound(core, clock, w);
      core.rank();
      expiredInputs += core.sweep();
      const k = core.refreshKpis();
      expect(k.pipelines.optimized.totalsPreservation).toBe(1);
      expect(k.pipelines.experimental_topk.totalsPreservation).toBe(1);
    }
    expect(expiredInputs).toBeGreaterThan(20);
    const stats = core.store.stats;
    expect(stats.expired).toBe(expiredInputs);
    expect(stats.series).toBe(stats.created - stats.expired);
    expect(stats.series).toBeGreaterThanOrEqual(w.procs.filter((p) => p.alive).length * 6);
  });

  test('gauges aggregate by the configured function; others carry a member count', () => {
    const { core, clock } = pipelineCore((c) => {
      c.rollup.gaugeAggregationByMetric = { 'process.threads': 'max' };
    });
    core.optimized.setProfile('aggressive');
    const w = new Workload({ hosts: 1, processes: 30, seed: 3 });
    ingestRound(core, clock, w);
    const out = renderPipeline(core, 'optimized').exp;
    const rolled = w.procs.filter((p) => ['otelcol', 'fluent-bit', 'cron', 'bash', 'sleep', 'my-batch-job'].includes(p.exe));
    expect(rolled.length).toBeGreaterThan(0);
    const others = out.samples.filter((s) => s.name === 'process_threads' && s.labels.phoenix_rollup === 'others');
    expect(others).toHaveLength(1);
    expect(others[0].value).toBe(Math.max(...rolled.map((p) => p.threads)));
    const mem = out.samples.filter((s) => s.name === 'process_memory_usage_bytes' && s.labels.phoenix_rollup === 'others');
    expect(mem[0].value).toBe(rolled.reduce((a, p) => a + p.memory, 0));
    const members = out.samples.filter((s) => s.name === 'phoenix_rollup_members' && s.labels.metric === 'process_threads');
    expect(members).toHaveLength(1);
    expect(members[0].value).toBe(rolled.length);
    expect(members[0].labels).toEqual({ host_name: 'host-0', phoenix_rollup: 'others', service_name: 'hostmetrics', metric: 'process_threads' });
  });
});

describe('rollups of histograms and summaries', () => {
  function hist(host: string, pid: number, exe: string, bounds: number[], counts: number[], sum: number, timeMs: number) {
    return {
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'host.name', value: { stringValue: host } }] },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'rpc.duration',
                  unit: 's',
                  histogram: {
                    aggregationTemporality: 2,
                    dataPoints: [
                      {
                        attributes: [
                          { key: 'process.pid', value: { intValue: String(pid) } },
                          { key: 'process.executable.name', value: { stringValue: exe } },
                        ],
                        startTimeUnixNano: String(BigInt(1_600_000_000_000 + pid) * 1_000_000n),
                        timeUnixNano: String(BigInt(timeMs) * 1_000_000n),
                        count: String(counts.reduce((a, b) => a + b, 0)),
                        sum,
                        bucketCounts: counts.map(String),
                        explicitBounds: bounds,
                      },
                    ],
                  },
                },
                {
                  name: 'rpc.latency',
                  summary: {
                    dataPoints: [
                      {
                        attributes: [
                          { key: 'process.pid', value: { intValue: String(pid) } },
                          { key: 'process.executable.name', value: { stringValue: exe } },
                        ],
                        timeUnixNano: String(BigInt(timeMs) * 1_000_000n),
                        count: String(counts.reduce((a, b) => a + b, 0)),
                        sum,
                        quantileValues: [{ quantile: 0.5, value: 0.1 }],
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    };
  }

  test('histograms merge bucket-wise (mismatched bounds onto the first layout), carry over resets, and summaries keep _sum/_count', () => {
    const { core, clock } = pipelineCore();
    core.optimized.setProfile('aggressive');
    const t = 1_700_000_000_000;
    const ingest = (r: unknown) => {
      const res = core.store.ingest(decodeJsonRequest(r));
      expect(res.rejected).toBe(0);
    };
    // two low-priority processes (bash, sleep) roll into one `others` histogram; the second has other bounds
    ingest(hist('h', 1, 'bash', [1, 2, 4], [1, 1, 1, 1], 10, t));
    ingest(hist('h', 2, 'sleep', [1, 3], [2, 2, 2], 20, t));
    let out = renderPipeline(core, 'optimized').exp;
    const b = (le: string) => out.samples.find((s) => s.name === 'rpc_duration_seconds_bucket' && s.labels.phoenix_rollup === 'others' && s.labels.le === le)?.value;
    // sleep's (1,3] bucket goes to le=4 (first bound ≥ 3), its +Inf bucket to +Inf
    expect([b('1'), b('2'), b('4'), b('+Inf')]).toEqual([3, 4, 7, 10]);
    expect(out.samples.find((s) => s.name === 'rpc_duration_seconds_count' && s.labels.phoenix_rollup === 'others')?.value).toBe(10);
    expect(out.samples.find((s) => s.name === 'rpc_duration_seconds_sum' && s.labels.phoenix_rollup === 'others')?.value).toBe(30);
    // process 1 restarts (count resets to 1): the rollup keeps its carried counts and adds the new ones
    clock.advance(10_000);
    ingest(hist('h', 1, 'bash', [1, 2, 4], [1, 0, 0, 0], 0.5, t + 10_000));
    out = renderPipeline(core, 'optimized').exp;
    expect([b('1'), b('2'), b('4'), b('+Inf')]).toEqual([4, 5, 8, 11]);
    const summary = out.samples.filter((s) => s.name.startsWith('rpc_latency') && s.labels.phoenix_rollup === 'others');
    expect(summary.map((s) => [s.name, s.value])).toEqual([
      ['rpc_latency_sum', 30.5],
      ['rpc_latency_count', 11],
    ]);
    expect(out.samples.find((s) => s.name === 'phoenix_rollup_members' && s.labels.metric === 'rpc_duration_seconds')?.value).toBe(2);
    expect(core.refreshKpis().pipelines.optimized.totalsPreservation).toBe(1);
  });
});

describe('an input label named like the rollup label', () => {
  test('gives way to the rollup label in others groups and is kept elsewhere', () => {
    const { core, clock } = pipelineCore();
    core.optimized.setProfile('aggressive');
    clock.advance(ROUND_MS);
    const point = (pid: number, exe: string, v: number) => ({
      attributes: [
        { key: 'process.pid', value: { intValue: String(pid) } },
        { key: 'process.executable.name', value: { stringValue: exe } },
        { key: 'phoenix_rollup', value: { stringValue: 'mine' } },
      ],
      timeUnixNano: String(BigInt(clock.now()) * 1_000_000n),
      asDouble: v,
    });
    const res = core.store.ingest(
      decodeJsonRequest({
        resourceMetrics: [
          {
            resource: { attributes: [{ key: 'host.name', value: { stringValue: 'h' } }] },
            scopeMetrics: [{ metrics: [{ name: 'process.threads', gauge: { dataPoints: [point(1, 'bash', 3), point(2, 'bash', 4), point(3, 'postgres', 5)] } }] }],
          },
        ],
      }),
    );
    expect(res.rejected).toBe(0);
    const { text } = renderPipeline(core, 'optimized');
    const lines = text.split('\n').filter((l) => l.startsWith('process_threads{'));
    expect(lines.sort()).toEqual([
      'process_threads{host_name="h",phoenix_rollup="mine",process_executable_name="postgres"} 5',
      'process_threads{host_name="h",phoenix_rollup="others"} 7',
    ]);
  });
});
