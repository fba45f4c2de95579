import { iso, ManualClock, memoryLogger, silentLogger } from '@phoenix/runtime';
import { ExpositionWriter } from '../exporter/expositionWriter';
import { decodeJsonRequest } from '../otlp/decodeJsonRequest';
import { renderStore } from './renderStore';
import { SeriesStore } from './seriesStore';
import { defaultSeriesStoreConfig } from './seriesStoreConfig';
import type { Increase, Series } from './series';

const T0 = 1_700_000_000_000;

function req(metrics: unknown[], host = 'h1', extraResource: Record<string, string> = {}) {
  const attrs = Object.entries({ 'host.name': host, ...extraResource }).map(([key, v]) => ({ key, value: { stringValue: v } }));
  return decodeJsonRequest({ resourceMetrics: [{ resource: { attributes: attrs }, scopeMetrics: [{ metrics }] }] });
}

function sum(value: number, opts: { t?: number; start?: number; temporality?: number; attrs?: Record<string, string> } = {}) {
  return {
    name: 'work.done',
    unit: '{item}',
    sum: {
      aggregationTemporality: opts.temporality ?? 2,
      isMonotonic: true,
      dataPoints: [
        {
          asDouble: value,
          startTimeUnixNano: String(BigInt(opts.start ?? T0 - 1000) * 1_000_000n),
          timeUnixNano: String(BigInt(opts.t ?? T0) * 1_000_000n),
          attributes: Object.entries(opts.attrs ?? {}).map(([key, v]) => ({ key, value: { stringValue: v } })),
        },
      ],
    },
  };
}

function render(store: SeriesStore): string {
  const w = new ExpositionWriter();
  renderStore(store, w);
  return w.toString();
}

describe('SeriesStore', () => {
  test('series that stop reporting are removed after the staleness interval (fake clock)', () => {
    const clock = new ManualClock(T0);
    const store = new SeriesStore({ ...defaultSeriesStoreConfig, stalenessMs: 300_000 }, clock, silentLogger());
    store.ingest(req([sum(1, { attrs: { k: 'a' } }), sum(1, { attrs: { k: 'b' } })]));
    expect(store.size).toBe(2);
    clock.advance(200_000);
    store.ingest(req([sum(2, { attrs: { k: 'b' }, t: T0 + 200_000 })]));
    clock.advance(100_001); // a: 300.001 s without a point; b: 100.001 s
    expect(store.sweep()).toBe(1);
    expect(store.size).toBe(1);
    expect(render(store)).toBe('# HELP work_done_total work.done\n# TYPE work_done_total counter\nwork_done_total{host_name="h1",k="b"} 2\n');
    clock.advance(200_000);
    expect(store.sweep()).toBe(1);
    expect(store.size).toBe(0);
    expect(render(store)).toBe('');
    expect(store.stats).toEqual({ series: 0, families: 0, created: 2, expired: 2 });
  });

  test('resource attributes are flattened by the allow-list only', () => {
    const store = new SeriesStore({ ...defaultSeriesStoreConfig, resourceLabels: ['host.name', 'k8s.pod.name'] }, new ManualClock(), silentLogger());
    store.ingest(req([sum(3)], 'h9', { 'k8s.pod.name': 'pod-1', 'os.type': 'linux', 'service.name': 'x' }));
    expect(render(store)).toBe('# HELP work_done_total work.done\n# TYPE work_done_total counter\nwork_done_total{host_name="h9",k8s_pod_name="pod-1"} 3\n');
  });

  test('increases handed to the pipelines: deltas, cumulative differences, and resets counted in full', () => {
    const store = new SeriesStore(defaultSeriesStoreConfig, new ManualClock(), silentLogger());
    const seen: Array<[number, boolean]> = [];
    store.addListener({ onUpdate: (_s: Series, inc: Increase | undefined) => inc && seen.push([inc.value, inc.reset]), onExpire: () => undefined }, { pipeline: 'test', stage: 'observe' });
    store.ingest(req([sum(10, { t: T0 })]));
    store.ingest(req([sum(15, { t: T0 + 1 })]));
    store.ingest(req([sum(4, { t: T0 + 2 })])); // value went down: reset
    store.ingest(req([sum(6, { t: T0 + 3, start: T0 + 2 })])); // start time changed: reset
    store.ingest(req([sum(1, { t: T0 + 1 })])); // older than the last point: refused
    expect(seen).toEqual([
      [10, false],
      [5, false],
      [4, true],
      [6, true],
    ]);
    expect(render(store)).toContain('work_done_total{host_name="h1"} 6\n');
  });

  test('exponential histograms are converted to explicit buckets', () => {
    const store = new SeriesStore(defaultSeriesStoreConfig, new ManualClock(), silentLogger());
    const r = store.ingest(
      req([
        {
          name: 'latency',
          unit: 's',
          exponentialHistogram: {
            aggregationTemporality: 2,
            dataPoints: [
              { count: '6', sum: 7.5, scale: 0, zeroCount: '1', positive: { offset: 0, bucketCounts: ['2', '3'] }, negative: { offset: 0, bucketCounts: [] } },
            ],
          },
        },
      ]),
    );
    expect(r).toMatchObject({ accepted: 1, rejected: 0 });
    // scale 0: base 2; bucket i covers (2^i, 2^(i+1)]; zero bucket upper bound = zero threshold 0
    expect(render(store)).toBe(
      [
        '# HELP latency_seconds latency',
        '# TYPE latency_seconds histogram',
        'latency_seconds_bucket{host_name="h1",le="0"} 1',
        'latency_seconds_bucket{host_name="h1",le="2"} 3',
        'latency_seconds_bucket{host_name="h1",le="4"} 6',
        'latency_seconds_bucket{host_name="h1",le="+Inf"} 6',
        'latency_seconds_sum{host_name="h1"} 7.5',
        'latency_seconds_count{host_name="h1"} 6',
        '',
      ].join('\n'),
    );
  });

  test('summaries keep quantiles, sum and count; label values are escaped', () => {
    const store = new SeriesStore(defaultSeriesStoreConfig, new ManualClock(), silentLogger());
    store.ingest(
      req([
        {
          name: 'rpc.time',
          description: 'RPC time\nper call',
          summary: {
            dataPoints: [
              {
                count: '10',
                sum: 2.5,
                quantileValues: [{ quantile: 0.99, value: 0.9 }, { quantile: 0.5, value: 0.2 }],
                attributes: [{ key: 'path', value: { stringValue: 'a"b\\c\nd' } }],
              },
            ],
          },
        },
      ]),
    );
    expect(render(store)).toBe(
      [
        '# HELP rpc_time RPC time\\nper call',
        '# TYPE rpc_time summary',
        'rpc_time{host_name="h1",path="a\\"b\\\\c\\nd",quantile="0.5"} 0.2',
        'rpc_time{host_name="h1",path="a\\"b\\\\c\\nd",quantile="0.99"} 0.9',
        'rpc_time_sum{host_name="h1",path="a\\"b\\\\c\\nd"} 2.5',
        'rpc_time_count{host_name="h1",path="a\\"b\\\\c\\nd"} 10',
        '',
      ].join('\n'),
    );
  });

  test('the series cap refuses new series but keeps updating existing ones', () => {
    const store = new SeriesStore({ ...defaultSeriesStoreConfig, maxSeries: 1 }, new ManualClock(), silentLogger());
    expect(store.ingest(req([sum(1, { attrs: { k: 'a' } })])).accepted).toBe(1);
    const r = store.ingest(req([sum(1, { attrs: { k: 'b' } }), sum(2, { attrs: { k: 'a' }, t: T0 + 5 })]));
    expect(r).toMatchObject({ accepted: 1, rejected: 1, reasons: { series_limit: 1 } });
  });

  test('a throwing pipeline: its points are refused as pipeline_error (not accepted), counted per place, logged first 10 then once a minute', () => {
    const clock = new ManualClock(T0);
    const log = memoryLogger({ clock });
    const store = new SeriesStore(defaultSeriesStoreConfig, clock, log);
    const after: string[] = [];
    const failing = {
      onUpdate: () => {
        throw new TypeError('boom');
      },
      onExpire: () => {
        throw new Error('gone');
      },
    };
    store.addListener(failing, { pipeline: 'optimized', stage: 'route' });
    store.addListener({ onUpdate: (s: Series) => after.push(s.labelText), onExpire: () => undefined }, { pipeline: 'experimental_topk', stage: 'route' });
    const two = req([sum(1, { attrs: { k: 'a' } }), sum(1, { attrs: { k: 'b' } })]);
    const why = 'metric "work.done": pipeline optimized failed at route: boom';
    expect(store.ingest(two)).toEqual({ accepted: 0, rejected: 2, reasons: { pipeline_error: 2 }, message: `2 data point(s) rejected: ${why}; ${why}` });
    // the later pipeline still got both points, and the store holds them
    expect(after).toEqual(['host_name="h1",k="a"', 'host_name="h1",k="b"']);
    expect(store.size).toBe(2);
    expect(log.records[0]).toEqual({
      ts: iso(T0),
      level: 'error',
      msg: 'pipeline listener failed',
      pipeline: 'optimized',
      stage: 'route',
      family: 'work_done_total',
      err: { message: 'boom', name: 'TypeError' },
    });
    for (let i = 0; i < 7; i++) store.ingest(two); // 16 failures
    expect(log.records).toHaveLength(10);
    clock.advance(60_000);
    store.ingest(req([sum(2, { attrs: { k: 'a' } })]));
    expect(log.records).toHaveLength(11);
    expect(log.records[10]).toMatchObject({ msg: 'pipeline listener failed', suppressed: 6, total: 17 });
    clock.advance(defaultSeriesStoreConfig.stalenessMs + 1);
    expect(store.sweep()).toBe(2);
    expect(store.pipelineErrors()).toEqual([
      { pipeline: 'optimized', stage: 'route', errors: 17 },
      { pipeline: 'optimized', stage: 'expire', errors: 2 },
      { pipeline: 'experimental_topk', stage: 'route', errors: 0 },
      { pipeline: 'experimental_topk', stage: 'expire', errors: 0 },
    ]);
  });
});
