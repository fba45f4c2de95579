import { ProtoReader } from '@phoenix/runtime';
import {
  Temporality,
  type Attr,
  type DecodedMetric,
  type DecodedRequest,
  type DecodedResourceMetrics,
  type DecodedScopeMetrics,
} from './model';
import { decodeAttributeFields } from './protobufAttributes';
import { readExpHistogramPoint, readHistogramPoint, readNumberPoint, readSummaryPoint } from './protobufPoints';

const VARINT = 0;
const LEN = 2;

/**
 * Decodes an OTLP ExportMetricsServiceRequest (opentelemetry.proto.collector.metrics.v1) from
 * protobuf bytes. Unknown fields are skipped, as protobuf requires; malformed input throws
 * ProtobufDecodeError (an InvalidInputError: HTTP 400 / INVALID_ARGUMENT).
 */
export function decodeProtobufRequest(buf: Buffer, opts: { lazyAttributes?: boolean } = {}): DecodedRequest {
  const lazy = opts.lazyAttributes ?? false;
  const r = new ProtoReader(buf);
  const resourceMetrics: DecodedResourceMetrics[] = [];
  while (!r.eof()) {
    if (r.next() === 1) {
      r.expect(LEN);
      resourceMetrics.push(readResourceMetrics(r.sub(), lazy));
    } else r.skipField();
  }
  return { resourceMetrics };
}

function readResourceMetrics(r: ProtoReader, lazy: boolean): DecodedResourceMetrics {
  let resourceAttrs: Attr[] = [];
  const scopes: DecodedScopeMetrics[] = [];
  while (!r.eof()) {
    const field = r.next();
    if (field === 1) {
      r.expect(LEN);
      // Resource.attributes is field 1
      const [s, e] = r.delimited();
      resourceAttrs = decodeAttributeFields(r.buf, s, e, 1);
    } else if (field === 2) {
      r.expect(LEN);
      scopes.push(readScopeMetrics(r.sub(), lazy));
    } else r.skipField();
  }
  return { resourceAttrs, scopes };
}

function readScopeMetrics(r: ProtoReader, lazy: boolean): DecodedScopeMetrics {
  let scopeName = '';
  let scopeVersion = '';
  const metrics: DecodedMetric[] = [];
  while (!r.eof()) {
    const field = r.next();
    if (field === 1) {
      r.expect(LEN);
      const s = r.sub();
      while (!s.eof()) {
        const f = s.next();
        if (f === 1) {
          s.expect(LEN);
          scopeName = s.string();
        } else if (f === 2) {
          s.expect(LEN);
          scopeVersion = s.string();
        } else s.skipField();
      }
    } else if (field === 2) {
      r.expect(LEN);
      metrics.push(readMetric(r.sub(), lazy));
    } else r.skipField();
  }
  return { scopeName, scopeVersion, metrics };
}

function readMetric(r: ProtoReader, lazy: boolean): DecodedMetric {
  let name = '';
  let description = '';
  let unit = '';
  let metric: DecodedMetric | undefined;
  while (!r.eof()) {
    switch (r.next()) {
      case 1:
        r.expect(LEN);
        name = r.string();
        break;
      case 2:
        r.expect(LEN);
        description = r.string();
        break;
      case 3:
        r.expect(LEN);
        unit = r.string();
        break;
      case 5: {
        r.expect(LEN);
        const d = readData(r.sub(), (s) => readNumberPoint(s, lazy));
        metric = { name, description, unit, kind: 'gauge', points: d.points };
        break;
      }
      case 7: {
        r.expect(LEN);
        const d = readData(r.sub(), (s) => readNumberPoint(s, lazy));
        metric = { name, description, unit, kind: 'sum', temporality: d.temporality, monotonic: d.monotonic, points: d.points };
        break;
      }
      case 9: {
        r.expect(LEN);
        const d = readData(r.sub(), readHistogramPoint);
        metric = { name, description, unit, kind: 'histogram', temporality: d.temporality, points: d.points };
        break;
      }
      case 10: {
        r.expect(LEN);
        const d = readData(r.sub(), readExpHistogramPoint);
        metric = { name, description, unit, kind: 'exponential_histogram', temporality: d.temporality, points: d.points };
        break;
      }
      case 11: {
        r.expect(LEN);
        metric = { name, description, unit, kind: 'summary', points: readData(r.sub(), readSummaryPoint).points };
        break;
      }
      default:
        r.skipField();
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
    const f = s.next();
    if (f === 1) {
      s.expect(LEN);
      points.push(readPoint(s.sub()));
    } else if (f === 2 && s.wireType === VARINT) {
      temporality = s.uint32() as Temporality;
    } else if (f === 3 && s.wireType === VARINT) {
      monotonic = s.bool();
    } else s.skipField(); // includes fields 2/3 of Gauge and Summary, which define none
  }
  return { points, temporality, monotonic };
}
