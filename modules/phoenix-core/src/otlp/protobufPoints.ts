import { ProtobufDecodeError, type ProtoReader } from '@phoenix/runtime';
import type { AggregatePoint, ExpBuckets, ExpHistogramPoint, HistogramPoint, NumberPoint, SummaryPoint } from './model';
import { decodeAttributeFields, readKeyValue } from './protobufAttributes';

/**
 * The data points of OTLP metrics (opentelemetry.proto.metrics.v1), read from protobuf. The
 * decoder's hot path: inline loops over the fields, no callback per field.
 */

const NS_PER_MS = 1e6;
const VARINT = 0;
const I64 = 1;
const LEN = 2;

/**
 * NumberDataPoint. With `lazy`, contiguous attribute fields are not decoded: the point keeps their
 * buffer and byte range (the store looks known series up by those bytes).
 */
export function readNumberPoint(r: ProtoReader, lazy: boolean): NumberPoint {
  const p: NumberPoint = { attrs: [], startMs: 0, timeMs: 0, hasValue: false, value: 0, flags: 0 };
  const pointStart = r.pos;
  let attrStart = -1;
  let attrEnd = -1;
  let contiguous = true;
  while (!r.eof()) {
    const fieldStart = r.pos;
    switch (r.next()) {
      case 7:
        r.expect(LEN);
        if (lazy) {
          r.delimited();
          if (attrStart < 0) attrStart = fieldStart;
          else if (fieldStart !== attrEnd) contiguous = false;
          attrEnd = r.pos;
        } else p.attrs.push(readKeyValue(r.sub()));
        break;
      case 2:
        r.expect(I64);
        p.startMs = r.fixed64() / NS_PER_MS;
        break;
      case 3:
        r.expect(I64);
        p.timeMs = r.fixed64() / NS_PER_MS;
        break;
      case 4:
        r.expect(I64);
        p.value = r.double();
        p.hasValue = true;
        break;
      case 6:
        r.expect(I64);
        p.value = r.sfixed64();
        p.hasValue = true;
        break;
      case 8:
        r.expect(VARINT);
        p.flags = r.uint32();
        break;
      default:
        r.skipField();
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
function readRepeated64(r: ProtoReader, out: number[], asDouble: boolean): void {
  const wt = r.wireType;
  if (wt === I64) {
    out.push(asDouble ? r.double() : r.fixed64());
    return;
  }
  if (wt !== LEN) throw new ProtobufDecodeError(`repeated 64-bit field has wire type ${wt}`);
  const [s, e] = r.delimited();
  if ((e - s) % 8 !== 0) throw new ProtobufDecodeError('packed 64-bit field length is not a multiple of 8');
  const buf = r.buf;
  for (let i = s; i < e; i += 8) {
    out.push(asDouble ? buf.readDoubleLE(i) : buf.readUInt32LE(i + 4) * 4294967296 + buf.readUInt32LE(i));
  }
}

/**
 * The fields HistogramDataPoint, ExponentialHistogramDataPoint and SummaryDataPoint share: start
 * and time (2, 3: fixed64 ns), count (4: fixed64) and sum (5: double), and their attributes and
 * flags, whose numbers differ per message. False for any other field.
 */
function readAggregateField(r: ProtoReader, p: AggregatePoint & { hasSum?: boolean }, attributesField: number, flagsField: number): boolean {
  const field = r.field;
  if (field === attributesField) {
    r.expect(LEN);
    p.attrs.push(readKeyValue(r.sub()));
    return true;
  }
  if (field === flagsField) {
    r.expect(VARINT);
    p.flags = r.uint32();
    return true;
  }
  switch (field) {
    case 2:
      r.expect(I64);
      p.startMs = r.fixed64() / NS_PER_MS;
      return true;
    case 3:
      r.expect(I64);
      p.timeMs = r.fixed64() / NS_PER_MS;
      return true;
    case 4:
      r.expect(I64);
      p.count = r.fixed64();
      return true;
    case 5:
      r.expect(I64);
      p.sum = r.double();
      if (p.hasSum !== undefined) p.hasSum = true;
      return true;
    default:
      return false;
  }
}

export function readHistogramPoint(r: ProtoReader): HistogramPoint {
  const p: HistogramPoint = { attrs: [], startMs: 0, timeMs: 0, count: 0, hasSum: false, sum: 0, bucketCounts: [], bounds: [], flags: 0 };
  while (!r.eof()) {
    const field = r.next();
    if (field === 6) readRepeated64(r, p.bucketCounts, false);
    else if (field === 7) readRepeated64(r, p.bounds, true);
    else if (!readAggregateField(r, p, 9, 10)) r.skipField();
  }
  return p;
}

function readBuckets(r: ProtoReader): ExpBuckets {
  const b: ExpBuckets = { offset: 0, counts: [] };
  while (!r.eof()) {
    const field = r.next();
    if (field === 1) {
      r.expect(VARINT);
      b.offset = r.sint32();
    } else if (field === 2) {
      if (r.wireType === VARINT) b.counts.push(r.uint64());
      else if (r.wireType === LEN) {
        const s = r.sub();
        while (!s.eof()) b.counts.push(s.uint64());
      } else throw new ProtobufDecodeError(`bucket_counts has wire type ${r.wireType}`);
    } else r.skipField();
  }
  return b;
}

export function readExpHistogramPoint(r: ProtoReader): ExpHistogramPoint {
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
    switch (r.next()) {
      case 6:
        r.expect(VARINT);
        p.scale = r.sint32();
        break;
      case 7:
        r.expect(I64);
        p.zeroCount = r.fixed64();
        break;
      case 8:
        r.expect(LEN);
        p.positive = readBuckets(r.sub());
        break;
      case 9:
        r.expect(LEN);
        p.negative = readBuckets(r.sub());
        break;
      case 14:
        r.expect(I64);
        p.zeroThreshold = r.double();
        break;
      default:
        if (!readAggregateField(r, p, 1, 10)) r.skipField();
    }
  }
  return p;
}

/** SummaryDataPoint.ValueAtQuantile: [quantile, value]. */
function readQuantile(s: ProtoReader): [number, number] {
  let q = 0;
  let v = 0;
  while (!s.eof()) {
    const f = s.next();
    if (f === 1) {
      s.expect(I64);
      q = s.double();
    } else if (f === 2) {
      s.expect(I64);
      v = s.double();
    } else s.skipField();
  }
  return [q, v];
}

export function readSummaryPoint(r: ProtoReader): SummaryPoint {
  const p: SummaryPoint = { attrs: [], startMs: 0, timeMs: 0, count: 0, sum: 0, quantiles: [], flags: 0 };
  while (!r.eof()) {
    if (r.next() === 6) {
      r.expect(LEN);
      p.quantiles.push(readQuantile(r.sub()));
    } else if (!readAggregateField(r, p, 7, 8)) r.skipField();
  }
  return p;
}
