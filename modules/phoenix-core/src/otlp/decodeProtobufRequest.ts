import { doubleToLabel, structuredToLabel, type JsonAnyValue } from './anyValue';
import {
  OtlpDecodeError,
  Temporality,
  type Attr,
  type DecodedMetric,
  type DecodedRequest,
  type DecodedResourceMetrics,
  type DecodedScopeMetrics,
  type ExpBuckets,
  type ExpHistogramPoint,
  type HistogramPoint,
  type NumberPoint,
  type SummaryPoint,
} from './model';
import { ProtoReader, expectWire } from './protoReader';

const NS_PER_MS = 1e6;
const VARINT = 0;
const I64 = 1;
const LEN = 2;

/**
 * Decodes an OTLP ExportMetricsServiceRequest (opentelemetry.proto.collector.metrics.v1) from
 * protobuf bytes. Unknown fields are skipped, as protobuf requires; malformed input throws
 * OtlpDecodeError.
 */
export function decodeProtobufRequest(buf: Buffer, opts: { lazyAttributes?: boolean } = {}): DecodedRequest {
  const lazy = opts.lazyAttributes ?? false;
  const r = new ProtoReader(buf);
  const resourceMetrics: DecodedResourceMetrics[] = [];
  while (!r.eof()) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1) {
      expectWire(field, wt, LEN);
      resourceMetrics.push(readResourceMetrics(r.sub(), lazy));
    } else r.skip(wt);
  }
  return { resourceMetrics };
}

function readResourceMetrics(r: ProtoReader, lazy: boolean): DecodedResourceMetrics {
  let resourceAttrs: Attr[] = [];
  const scopes: DecodedScopeMetrics[] = [];
  while (!r.eof()) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1) {
      expectWire(field, wt, LEN);
      resourceAttrs = readResource(r.sub());
    } else if (field === 2) {
      expectWire(field, wt, LEN);
      scopes.push(readScopeMetrics(r.sub(), lazy));
    } else r.skip(wt);
  }
  return { resourceAttrs, scopes };
}

function readResource(r: ProtoReader): Attr[] {
  const attrs: Attr[] = [];
  while (!r.eof()) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1) {
      expectWire(field, wt, LEN);
      attrs.push(readKeyValue(r.sub()));
    } else r.skip(wt);
  }
  return attrs;
}

function readScopeMetrics(r: ProtoReader, lazy: boolean): DecodedScopeMetrics {
  let scopeName = '';
  let scopeVersion = '';
  const metrics: DecodedMetric[] = [];
  while (!r.eof()) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1) {
      expectWire(field, wt, LEN);
      const s = r.sub();
      while (!s.eof()) {
        const t = s.uint32();
        const f = t >>> 3;
        const w = t & 7;
        if (f === 1) {
          expectWire(f, w, LEN);
          scopeName = s.string();
        } else if (f === 2) {
          expectWire(f, w, LEN);
          scopeVersion = s.string();
        } else s.skip(w);
      }
    } else if (field === 2) {
      expectWire(field, wt, LEN);
      metrics.push(readMetric(r.sub(), lazy));
    } else r.skip(wt);
  }
  return { scopeName, scopeVersion, metrics };
}

function readMetric(r: ProtoReader, lazy: boolean): DecodedMetric {
  let name = '';
  let description = '';
  let unit = '';
  let metric: DecodedMetric | undefined;
  while (!r.eof()) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    switch (field) {
      case 1:
        expectWire(field, wt, LEN);
        name = r.string();
        break;
      case 2:
        expectWire(field, wt, LEN);
        description = r.string();
        break;
      case 3:
        expectWire(field, wt, LEN);
        unit = r.string();
        break;
      case 5: {
        expectWire(field, wt, LEN);
        const d = readData(r.sub(), (s) => readNumberPoint(s, lazy));
        metric = { name, description, unit, kind: 'gauge', points: d.points };
        break;
      }
      case 7: {
        expectWire(field, wt, LEN);
        const d = readData(r.sub(), (s) => readNumberPoint(s, lazy));
        metric = { name, description, unit, kind: 'sum', temporality: d.temporality, monotonic: d.monotonic, points: d.points };
        break;
      }
      case 9: {
        expectWire(field, wt, LEN);
        const d = readData(r.sub(), readHistogramPoint);
        metric = { name, description, unit, kind: 'histogram', temporality: d.temporality, points: d.points };
        break;
      }
      case 10: {
        expectWire(field, wt, LEN);
        const d = readData(r.sub(), readExpHistogramPoint);
        metric = { name, description, unit, kind: 'exponential_histogram', temporality: d.temporality, points: d.points };
        break;
      }
      case 11: {
        expectWire(field, wt, LEN);
        metric = { name, description, unit, kind: 'summary', points: readData(r.sub(), readSummaryPoint).points };
        break;
      }
      default:
        r.skip(wt);
    }
  }
  if (!metric) return { name, description, unit, kind: 'empty', points: [] };
  // name/description/unit may follow the data field on the wire
  metric.name = name;
  metric.description = description;
  metric.unit = unit;
  return metric;
}

/**
 * Gauge, Sum, Histogram, ExponentialHistogram and Summary share one layout: data_points (1), then
 * aggregation_temporality (2) and is_monotonic (3) where the message has them.
 */
function readData<P>(s: ProtoReader, readPoint: (r: ProtoReader) => P): { points: P[]; temporality: Temporality; monotonic: boolean } {
  const points: P[] = [];
  let temporality = Temporality.Unspecified;
  let monotonic = false;
  while (!s.eof()) {
    const t = s.uint32();
    const f = t >>> 3;
    if (f === 1) {
      expectWire(f, t & 7, LEN);
      points.push(readPoint(s.sub()));
    } else if (f === 2 && (t & 7) === VARINT) {
      temporality = s.uint32() as Temporality;
    } else if (f === 3 && (t & 7) === VARINT) {
      monotonic = s.bool();
    } else s.skip(t & 7); // includes fields 2/3 of Gauge and Summary, which define none
  }
  return { points, temporality, monotonic };
}

function readNumberPoint(r: ProtoReader, lazy: boolean): NumberPoint {
  const p: NumberPoint = { attrs: [], startMs: 0, timeMs: 0, hasValue: false, value: 0, flags: 0 };
  const pointStart = r.pos;
  let attrStart = -1;
  let attrEnd = -1;
  let contiguous = true;
  while (!r.eof()) {
    const fieldStart = r.pos;
    const tag = r.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    switch (field) {
      case 7:
        expectWire(field, wt, LEN);
        if (lazy) {
          r.delimited();
          if (attrStart < 0) attrStart = fieldStart;
          else if (fieldStart !== attrEnd) contiguous = false;
          attrEnd = r.pos;
        } else p.attrs.push(readKeyValue(r.sub()));
        break;
      case 2:
        expectWire(field, wt, I64);
        p.startMs = r.fixed64() / NS_PER_MS;
        break;
      case 3:
        expectWire(field, wt, I64);
        p.timeMs = r.fixed64() / NS_PER_MS;
        break;
      case 4:
        expectWire(field, wt, I64);
        p.value = r.double();
        p.hasValue = true;
        break;
      case 6:
        expectWire(field, wt, I64);
        p.value = r.sfixed64();
        p.hasValue = true;
        break;
      case 8:
        expectWire(field, wt, VARINT);
        p.flags = r.uint32();
        break;
      default:
        r.skip(wt);
    }
  }
  if (lazy && attrStart >= 0) {
    if (contiguous) {
      p.attrBuf = r.buf;
      p.attrStart = attrStart;
      p.attrEnd = attrEnd;
    } else p.attrs = decodeAttributeFields(r.buf, pointStart, r.end, 7);
  }
  return p;
}

/** Reads a repeated fixed64/double field that may be packed (LEN) or not (I64). */
function readRepeated64(r: ProtoReader, wt: number, out: number[], asDouble: boolean): void {
  if (wt === I64) {
    out.push(asDouble ? r.double() : r.fixed64());
    return;
  }
  if (wt !== LEN) throw new OtlpDecodeError(`repeated 64-bit field has wire type ${wt}`);
  const [s, e] = r.delimited();
  if ((e - s) % 8 !== 0) throw new OtlpDecodeError('packed 64-bit field length is not a multiple of 8');
  const buf = r.buf;
  for (let i = s; i < e; i += 8) {
    out.push(asDouble ? buf.readDoubleLE(i) : buf.readUInt32LE(i + 4) * 4294967296 + buf.readUInt32LE(i));
  }
}

/**
 * Fields 2–5, which HistogramDataPoint, ExponentialHistogramDataPoint and SummaryDataPoint share:
 * start and time (fixed64 ns), count (fixed64) and sum (double). False for any other field.
 */
function readAggregateField(r: ProtoReader, field: number, wt: number, p: { startMs: number; timeMs: number; count: number; sum: number; hasSum?: boolean }): boolean {
  switch (field) {
    case 2:
      expectWire(field, wt, I64);
      p.startMs = r.fixed64() / NS_PER_MS;
      return true;
    case 3:
      expectWire(field, wt, I64);
      p.timeMs = r.fixed64() / NS_PER_MS;
      return true;
    case 4:
      expectWire(field, wt, I64);
      p.count = r.fixed64();
      return true;
    case 5:
      expectWire(field, wt, I64);
      p.sum = r.double();
      if (p.hasSum !== undefined) p.hasSum = true;
      return true;
    default:
      return false;
  }
}

function readHistogramPoint(r: ProtoReader): HistogramPoint {
  const p: HistogramPoint = { attrs: [], startMs: 0, timeMs: 0, count: 0, hasSum: false, sum: 0, bucketCounts: [], bounds: [], flags: 0 };
  while (!r.eof()) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    switch (field) {
      case 9:
        expectWire(field, wt, LEN);
        p.attrs.push(readKeyValue(r.sub()));
        break;
      case 6:
        readRepeated64(r, wt, p.bucketCounts, false);
        break;
      case 7:
        readRepeated64(r, wt, p.bounds, true);
        break;
      case 10:
        expectWire(field, wt, VARINT);
        p.flags = r.uint32();
        break;
      default:
        if (!readAggregateField(r, field, wt, p)) r.skip(wt);
    }
  }
  return p;
}

function readBuckets(r: ProtoReader): ExpBuckets {
  const b: ExpBuckets = { offset: 0, counts: [] };
  while (!r.eof()) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1) {
      expectWire(field, wt, VARINT);
      b.offset = r.sint32();
    } else if (field === 2) {
      if (wt === VARINT) b.counts.push(r.uint64());
      else if (wt === LEN) {
        const s = r.sub();
        while (!s.eof()) b.counts.push(s.uint64());
      } else throw new OtlpDecodeError(`bucket_counts has wire type ${wt}`);
    } else r.skip(wt);
  }
  return b;
}

function readExpHistogramPoint(r: ProtoReader): ExpHistogramPoint {
  const p: ExpHistogramPoint = {
    attrs: [],
    startMs: 0,
    timeMs: 0,
    count: 0,
    hasSum: false,
    sum: 0,
    scale: 0,
    zeroCount: 0,
    zeroThreshold: 0,
    positive: { offset: 0, counts: [] },
    negative: { offset: 0, counts: [] },
    flags: 0,
  };
  while (!r.eof()) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    switch (field) {
      case 1:
        expectWire(field, wt, LEN);
        p.attrs.push(readKeyValue(r.sub()));
        break;
      case 6:
        expectWire(field, wt, VARINT);
        p.scale = r.sint32();
        break;
      case 7:
        expectWire(field, wt, I64);
        p.zeroCount = r.fixed64();
        break;
      case 8:
        expectWire(field, wt, LEN);
        p.positive = readBuckets(r.sub());
        break;
      case 9:
        expectWire(field, wt, LEN);
        p.negative = readBuckets(r.sub());
        break;
      case 10:
        expectWire(field, wt, VARINT);
        p.flags = r.uint32();
        break;
      case 14:
        expectWire(field, wt, I64);
        p.zeroThreshold = r.double();
        break;
      default:
        if (!readAggregateField(r, field, wt, p)) r.skip(wt);
    }
  }
  return p;
}

function readSummaryPoint(r: ProtoReader): SummaryPoint {
  const p: SummaryPoint = { attrs: [], startMs: 0, timeMs: 0, count: 0, sum: 0, quantiles: [], flags: 0 };
  while (!r.eof()) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    switch (field) {
      case 7:
        expectWire(field, wt, LEN);
        p.attrs.push(readKeyValue(r.sub()));
        break;
      case 6: {
        expectWire(field, wt, LEN);
        const s = r.sub();
        let q = 0;
        let v = 0;
        while (!s.eof()) {
          const t = s.uint32();
          const f = t >>> 3;
          if (f === 1) {
            expectWire(f, t & 7, I64);
            q = s.double();
          } else if (f === 2) {
            expectWire(f, t & 7, I64);
            v = s.double();
          } else s.skip(t & 7);
        }
        p.quantiles.push([q, v]);
        break;
      }
      case 8:
        expectWire(field, wt, VARINT);
        p.flags = r.uint32();
        break;
      default:
        if (!readAggregateField(r, field, wt, p)) r.skip(wt);
    }
  }
  return p;
}

/** Decodes the KeyValue fields numbered `field` in [start, end) of a message (lazy attributes). */
export function decodeAttributeFields(buf: Buffer, start: number, end: number, field: number): Attr[] {
  const r = new ProtoReader(buf, start, end);
  const out: Attr[] = [];
  while (!r.eof()) {
    const tag = r.uint32();
    if (tag >>> 3 === field) {
      expectWire(field, tag & 7, LEN);
      out.push(readKeyValue(r.sub()));
    } else r.skip(tag & 7);
  }
  return out;
}

function readKeyValue(r: ProtoReader): Attr {
  let key = '';
  let value = '';
  while (!r.eof()) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1) {
      expectWire(field, wt, LEN);
      key = r.string();
    } else if (field === 2) {
      expectWire(field, wt, LEN);
      const v = readAnyValue(r.sub());
      value = v === null ? '' : typeof v === 'string' ? v : structuredToLabel(v);
    } else r.skip(wt);
  }
  return [key, value];
}

/**
 * AnyValue as a JSON-able value; int64 values are exact (kept as their decimal text when they
 * exceed the double range, marked by returning a string).
 */
function readAnyValue(r: ProtoReader): JsonAnyValue {
  let out: JsonAnyValue = null;
  while (!r.eof()) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    switch (field) {
      case 1:
        expectWire(field, wt, LEN);
        out = r.string();
        break;
      case 2:
        expectWire(field, wt, VARINT);
        out = r.bool() ? 'true' : 'false';
        break;
      case 3: {
        expectWire(field, wt, VARINT);
        out = r.int64Big().toString();
        break;
      }
      case 4:
        expectWire(field, wt, I64);
        out = doubleToLabel(r.double());
        break;
      case 5: {
        expectWire(field, wt, LEN);
        const s = r.sub();
        const arr: JsonAnyValue[] = [];
        while (!s.eof()) {
          const t = s.uint32();
          if (t >>> 3 === 1) {
            expectWire(1, t & 7, LEN);
            arr.push(readAnyValueNative(s.sub()));
          } else s.skip(t & 7);
        }
        out = arr;
        break;
      }
      case 6: {
        expectWire(field, wt, LEN);
        const s = r.sub();
        const obj: { [k: string]: JsonAnyValue } = {};
        while (!s.eof()) {
          const t = s.uint32();
          if (t >>> 3 === 1) {
            expectWire(1, t & 7, LEN);
            const kv = s.sub();
            let k = '';
            let v: JsonAnyValue = null;
            while (!kv.eof()) {
              const t2 = kv.uint32();
              if (t2 >>> 3 === 1) {
                expectWire(1, t2 & 7, LEN);
                k = kv.string();
              } else if (t2 >>> 3 === 2) {
                expectWire(2, t2 & 7, LEN);
                v = readAnyValueNative(kv.sub());
              } else kv.skip(t2 & 7);
            }
            obj[k] = v;
          } else s.skip(t & 7);
        }
        out = obj;
        break;
      }
      case 7: {
        expectWire(field, wt, LEN);
        const [s, e] = r.delimited();
        out = r.buf.toString('base64', s, e);
        break;
      }
      default:
        r.skip(wt);
    }
  }
  return out;
}

/** AnyValue nested in an array or map: keeps native JSON types (numbers, booleans). */
function readAnyValueNative(r: ProtoReader): JsonAnyValue {
  const start = r.pos;
  // peek the field number of the (last) oneof member
  let field = 0;
  const probe = new ProtoReader(r.buf, start, r.end);
  while (!probe.eof()) {
    const tag = probe.uint32();
    field = tag >>> 3;
    probe.skip(tag & 7);
  }
  const v = readAnyValue(r);
  if (typeof v !== 'string') return v;
  if (field === 2) return v === 'true';
  if (field === 3) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  if (field === 4) {
    const n = Number(v);
    return Number.isFinite(n) ? n : v;
  }
  return v;
}
