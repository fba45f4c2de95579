/**
 * The purpose-built decoder must agree with a reference decoder (protobufjs over the vendored
 * public .proto files, then the OTLP/JSON mapping) on random requests, including unknown fields.
 */
import fc from 'fast-check';
import { decodeMessage, encodeExportRequest, OTLP_TYPES } from '@phoenix/testkit';
import { decodeJsonRequest } from './decodeJsonRequest';
import { decodeProtobufRequest } from './decodeProtobufRequest';
import { ManualClock, ProtobufDecodeError, silentLogger } from '@phoenix/runtime';
import { ExpositionWriter } from '../exporter/expositionWriter';
import { renderStore } from '../store/renderStore';
import { renderLabels } from '../store/labels';
import { SeriesStore } from '../store/seriesStore';
import { defaultSeriesStoreConfig } from '../store/seriesStoreConfig';

const key = fc.stringMatching(/^[a-z][a-z0-9._]{0,12}$/);
const anyValue = fc.oneof(
  fc.string({ maxLength: 12 }).map((s) => ({ stringValue: s })),
  fc.boolean().map((b) => ({ boolValue: b })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((i) => ({ intValue: i.toString() })),
  fc.double({ noNaN: true }).map((d) => ({ doubleValue: d })),
  fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 3 }).map((xs) => ({ arrayValue: { values: xs.map((x) => ({ intValue: String(x) })) } })),
  fc.uint8Array({ maxLength: 6 }).map((b) => ({ bytesValue: Buffer.from(b).toString('base64') })),
);
const attrs = fc.array(fc.record({ key, value: anyValue }), { maxLength: 4 });
const nanos = fc.bigInt({ min: 0n, max: 2n ** 62n }).map((n) => n.toString());
const numberPoint = fc.record({
  attributes: attrs,
  startTimeUnixNano: nanos,
  timeUnixNano: nanos,
  value: fc.oneof(fc.double({ noNaN: true }).map((d) => ({ asDouble: d })), fc.integer().map((i) => ({ asInt: String(i) }))),
  flags: fc.integer({ min: 0, max: 1 }),
}).map(({ value, ...p }) => ({ ...p, ...value }));
const histPoint = fc
  .record({ attributes: attrs, timeUnixNano: nanos, counts: fc.array(fc.nat(1000), { minLength: 1, maxLength: 5 }), sum: fc.double({ noNaN: true }) })
  .map(({ counts, ...p }) => ({
    ...p,
    count: String(counts.reduce((a, b) => a + b, 0)),
    bucketCounts: counts.map(String),
    explicitBounds: counts.slice(1).map((_, i) => i * 1.5),
  }));
const metric = fc.oneof(
  fc.record({ name: key, unit: fc.constantFrom('', 's', 'By', '{x}'), gauge: fc.record({ dataPoints: fc.array(numberPoint, { maxLength: 3 }) }) }),
  fc.record({
    name: key,
    description: fc.string({ maxLength: 10 }),
    sum: fc.record({ dataPoints: fc.array(numberPoint, { maxLength: 3 }), aggregationTemporality: fc.constantFrom(1, 2), isMonotonic: fc.boolean() }),
  }),
  fc.record({ name: key, histogram: fc.record({ dataPoints: fc.array(histPoint, { maxLength: 2 }), aggregationTemporality: fc.constantFrom(1, 2) }) }),
  fc.record({
    name: key,
    summary: fc.record({
      dataPoints: fc.array(
        fc.record({ timeUnixNano: nanos, count: fc.nat().map(String), sum: fc.double({ noNaN: true }), quantileValues: fc.array(fc.record({ quantile: fc.double({ min: 0, max: 1, noNaN: true }), value: fc.double({ noNaN: true }) }), { maxLength: 3 }) }),
        { maxLength: 2 },
      ),
    }),
  }),
  fc.record({
    name: key,
    exponentialHistogram: fc.record({
      aggregationTemporality: fc.constantFrom(1, 2),
      dataPoints: fc.array(
        fc.record({
          count: fc.nat().map(String),
          scale: fc.integer({ min: -10, max: 20 }),
          zeroCount: fc.nat().map(String),
          zeroThreshold: fc.double({ min: 0, max: 1, noNaN: true }),
          positive: fc.record({ offset: fc.integer({ min: -100, max: 100 }), bucketCounts: fc.array(fc.nat().map(String), { maxLength: 4 }) }),
          negative: fc.record({ offset: fc.integer({ min: -100, max: 100 }), bucketCounts: fc.array(fc.nat().map(String), { maxLength: 4 }) }),
        }),
        { maxLength: 2 },
      ),
    }),
  }),
);
const requestArb = fc.record({
  resourceMetrics: fc.array(
    fc.record({
      resource: fc.record({ attributes: attrs }),
      scopeMetrics: fc.array(fc.record({ scope: fc.record({ name: key, version: key }), metrics: fc.array(metric, { maxLength: 4 }) }), { maxLength: 2 }),
    }),
    { maxLength: 3 },
  ),
});

function reference(bytes: Uint8Array) {
  return decodeJsonRequest(decodeMessage(OTLP_TYPES.exportRequest, bytes, { longs: String, enums: Number, bytes: String, defaults: false }));
}

/** Appends an unknown field (number 99, each wire type) to the top-level message. */
function withUnknownFields(bytes: Uint8Array): Buffer {
  const unknown = Buffer.from([
    (99 << 3) | 0, 0x96, 0x01, // varint 150
    (98 << 3) | 1, 1, 2, 3, 4, 5, 6, 7, 8, // fixed64
    (97 << 3) | 2, 3, 0x61, 0x62, 0x63, // length-delimited
    (96 << 3) | 5, 1, 2, 3, 4, // fixed32
  ].flatMap((b) => (b > 255 ? [(b & 0x7f) | 0x80, b >> 7] : [b])));
  return Buffer.concat([Buffer.from(bytes), unknown]);
}

describe('decodeProtobufRequest agrees with the protobufjs reference', () => {
  test('on random requests of every point kind', () => {
    fc.assert(
      fc.property(requestArb, (req) => {
        const bytes = encodeExportRequest(req);
        expect(decodeProtobufRequest(Buffer.from(bytes))).toEqual(reference(bytes));
      }),
      { numRuns: 300 },
    );
  });

  test('and skips unknown fields', () => {
    fc.assert(
      fc.property(requestArb, (req) => {
        const bytes = encodeExportRequest(req);
        expect(decodeProtobufRequest(withUnknownFields(bytes))).toEqual(reference(bytes));
      }),
      { numRuns: 100 },
    );
  });

  test('every strict prefix of a non-trivial request is either refused or decodes to a prefix, never throws anything else', () => {
    fc.assert(
      fc.property(requestArb, fc.nat(), (req, cut) => {
        const bytes = Buffer.from(encodeExportRequest(req));
        if (bytes.length === 0) return;
        const prefix = bytes.subarray(0, cut % bytes.length);
        try {
          decodeProtobufRequest(prefix);
        } catch (err) {
          expect(err).toBeInstanceOf(ProtobufDecodeError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('lazy attribute decoding (the receivers\' hot path)', () => {
  function render(store: SeriesStore): string {
    const w = new ExpositionWriter();
    renderStore(store, w);
    return w.toString();
  }

  test('ingesting through lazy decoding gives the same results and exposition as eager decoding, over repeats', () => {
    fc.assert(
      fc.property(fc.array(requestArb, { minLength: 1, maxLength: 4 }), (reqs) => {
        const eager = new SeriesStore(defaultSeriesStoreConfig, new ManualClock(), silentLogger());
        const lazy = new SeriesStore(defaultSeriesStoreConfig, new ManualClock(), silentLogger());
        // every request twice: the second pass finds the series by their attribute bytes
        for (const req of [...reqs, ...reqs]) {
          const bytes = Buffer.from(encodeExportRequest(req));
          const a = eager.ingest(decodeProtobufRequest(bytes));
          const b = lazy.ingest(decodeProtobufRequest(bytes, { lazyAttributes: true }));
          expect(b).toEqual(a);
        }
        expect(render(lazy)).toBe(render(eager));
        expect(lazy.size).toBe(eager.size);
        // after creation a series derives its attributes and labels from its raw key (protobuf
        // bytes in the lazy store, length-prefixed pairs in the eager one): both give back exactly
        // what the series was created from
        const derived = (st: SeriesStore) =>
          [...st.families.values()].flatMap((f) => [...f.series.values()].map((x) => [f.name, x.labelText, renderLabels(x.labels), [...x.pointAttrs]] as const));
        const fromLazy = derived(lazy);
        expect(fromLazy).toEqual(derived(eager));
        for (const [, text, rendered] of fromLazy) expect(rendered).toBe(text);
      }),
      { numRuns: 150 },
    );
  });

  test('the same series sent as protobuf and as JSON, with attributes in another order, is one series', () => {
    const store = new SeriesStore(defaultSeriesStoreConfig, new ManualClock(), silentLogger());
    const req = (value: number, order: 'ab' | 'ba') => ({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'host.name', value: { stringValue: 'h' } }] },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'g',
                  gauge: {
                    dataPoints: [
                      {
                        asDouble: value,
                        attributes: (order === 'ab' ? ['a', 'b'] : ['b', 'a']).map((k) => ({ key: k, value: { stringValue: k.toUpperCase() } })),
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    store.ingest(decodeProtobufRequest(Buffer.from(encodeExportRequest(req(1, 'ab'))), { lazyAttributes: true }));
    store.ingest(decodeProtobufRequest(Buffer.from(encodeExportRequest(req(2, 'ba'))), { lazyAttributes: true }));
    store.ingest(decodeJsonRequest(req(3, 'ab')));
    expect(store.size).toBe(1);
    expect(render(store)).toBe('# HELP g g\n# TYPE g gauge\ng{a="A",b="B",host_name="h"} 3\n');
  });

  test('undecodable attribute bytes inside valid framing refuse the point, not the process', () => {
    const store = new SeriesStore(defaultSeriesStoreConfig, new ManualClock(), silentLogger());
    // NumberDataPoint { attributes(7): KeyValue with an invalid wire type 7 inside, as_double(4): 1 }
    const kv = Buffer.from([0x0f, 0x00]);
    const point = Buffer.concat([Buffer.from([0x3a, kv.length]), kv, Buffer.from([0x21]), Buffer.alloc(8)]);
    const gaugeMsg = Buffer.concat([Buffer.from([0x0a, point.length]), point]);
    const metric = Buffer.concat([Buffer.from([0x0a, 1, 0x67, 0x2a, gaugeMsg.length]), gaugeMsg]);
    const scope = Buffer.concat([Buffer.from([0x12, metric.length]), metric]);
    const rm = Buffer.concat([Buffer.from([0x12, scope.length]), scope]);
    const body = Buffer.concat([Buffer.from([0x0a, rm.length]), rm]);
    expect(() => decodeProtobufRequest(body)).toThrow(ProtobufDecodeError);
    const r = store.ingest(decodeProtobufRequest(body, { lazyAttributes: true }));
    expect(r).toMatchObject({ accepted: 0, rejected: 1, reasons: { invalid_point: 1 } });
    expect(store.size).toBe(0);
  });
});
