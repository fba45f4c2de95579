import { doubleToLabel, structuredToLabel, type JsonAnyValue } from './anyValue';
import {
  OtlpDecodeError,
  Temporality,
  type AggregatePoint,
  type Attr,
  type DecodedMetric,
  type DecodedRequest,
  type DecodedResourceMetrics,
  type ExpBuckets,
} from './model';

type Obj = Record<string, unknown>;

/**
 * Decodes an OTLP/JSON ExportMetricsServiceRequest (the proto3 JSON mapping: lowerCamelCase or
 * original field names, 64-bit integers as strings or numbers, enums as integers or names).
 * Unknown fields are ignored, as the OTLP spec requires; wrong types throw OtlpDecodeError naming the path.
 */
export function decodeJsonRequest(body: unknown): DecodedRequest {
  const root = asObject(body, '(body)');
  const rms = asArray(get(root, 'resourceMetrics', 'resource_metrics'), 'resourceMetrics');
  const resourceMetrics: DecodedResourceMetrics[] = rms.map((rmRaw, i) => {
    const at = `resourceMetrics[${i}]`;
    const rm = asObject(rmRaw, at);
    const resource = get(rm, 'resource');
    const resourceAttrs = resource === undefined || resource === null ? [] : readAttrs(get(asObject(resource, `${at}.resource`), 'attributes'), `${at}.resource.attributes`);
    const sms = asArray(get(rm, 'scopeMetrics', 'scope_metrics'), `${at}.scopeMetrics`);
    const scopes = sms.map((smRaw, j) => {
      const sat = `${at}.scopeMetrics[${j}]`;
      const sm = asObject(smRaw, sat);
      const scopeRaw = get(sm, 'scope');
      const scope = scopeRaw === undefined || scopeRaw === null ? {} : asObject(scopeRaw, `${sat}.scope`);
      return {
        scopeName: asString(get(scope, 'name'), `${sat}.scope.name`),
        scopeVersion: asString(get(scope, 'version'), `${sat}.scope.version`),
        metrics: asArray(get(sm, 'metrics'), `${sat}.metrics`).map((m, k) => readMetric(m, `${sat}.metrics[${k}]`)),
      };
    });
    return { resourceAttrs, scopes };
  });
  return { resourceMetrics };
}

function get(o: Obj, camel: string, snake?: string): unknown {
  const v = o[camel];
  if (v !== undefined) return v;
  return snake === undefined ? undefined : o[snake];
}

function asObject(v: unknown, at: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new OtlpDecodeError(`${at}: expected an object`);
  return v as Obj;
}

function asArray(v: unknown, at: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpDecodeError(`${at}: expected an array`);
  return v;
}

function asString(v: unknown, at: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new OtlpDecodeError(`${at}: expected a string`);
  return v;
}

function asBool(v: unknown, at: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new OtlpDecodeError(`${at}: expected a boolean`);
  return v;
}

/** int64/uint64/fixed64 in proto3 JSON: a number or a decimal string. */
function asInt(v: unknown, at: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  throw new OtlpDecodeError(`${at}: expected an integer (number or decimal string)`);
}

/** double in proto3 JSON: a number, or "NaN" / "Infinity" / "-Infinity" (or a numeric string). */
function asDouble(v: unknown, at: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    if (v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  throw new OtlpDecodeError(`${at}: expected a number`);
}

const TEMPORALITY_NAMES: Record<string, Temporality> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: Temporality.Unspecified,
  AGGREGATION_TEMPORALITY_DELTA: Temporality.Delta,
  AGGREGATION_TEMPORALITY_CUMULATIVE: Temporality.Cumulative,
};

function asTemporality(v: unknown, at: string): Temporality {
  if (v === undefined || v === null) return Temporality.Unspecified;
  if (typeof v === 'number' && (v === 0 || v === 1 || v === 2)) return v as Temporality;
  if (typeof v === 'string' && v in TEMPORALITY_NAMES) return TEMPORALITY_NAMES[v];
  throw new OtlpDecodeError(`${at}: expected an AggregationTemporality (0, 1, 2 or its name)`);
}

function timeMs(v: unknown, at: string): number {
  return asInt(v, at) / 1e6;
}

function readAttrs(v: unknown, at: string): Attr[] {
  return asArray(v, at).map((kvRaw, i) => {
    const kv = asObject(kvRaw, `${at}[${i}]`);
    const key = asString(get(kv, 'key'), `${at}[${i}].key`);
    const raw = get(kv, 'value');
    const value = raw === undefined || raw === null ? null : readAnyValue(raw, `${at}[${i}].value`, false);
    return [key, value === null ? '' : typeof value === 'string' ? value : structuredToLabel(value)];
  });
}

/**
 * AnyValue. At the top level scalars become label text; nested in arrays/maps they keep their
 * JSON type (`native`).
 */
function readAnyValue(raw: unknown, at: string, native: boolean): JsonAnyValue {
  const o = asObject(raw, at);
  if (o.stringValue !== undefined || o.string_value !== undefined) return asString(get(o, 'stringValue', 'string_value'), `${at}.stringValue`);
  if (o.boolValue !== undefined || o.bool_value !== undefined) {
    const b = asBool(get(o, 'boolValue', 'bool_value'), `${at}.boolValue`);
    return native ? b : b ? 'true' : 'false';
  }
  if (o.intValue !== undefined || o.int_value !== undefined) {
    const iv = get(o, 'intValue', 'int_value');
    if (typeof iv === 'string' && /^-?\d+$/.test(iv)) {
      const n = Number(iv);
      return native && Number.isSafeInteger(n) ? n : BigInt(iv).toString();
    }
    const n = asInt(iv, `${at}.intValue`);
    return native ? n : String(n);
  }
  if (o.doubleValue !== undefined || o.double_value !== undefined) {
    const d = asDouble(get(o, 'doubleValue', 'double_value'), `${at}.doubleValue`);
    return native && Number.isFinite(d) ? d : doubleToLabel(d);
  }
  if (o.arrayValue !== undefined || o.array_value !== undefined) {
    const av = asObject(get(o, 'arrayValue', 'array_value'), `${at}.arrayValue`);
    return asArray(av.values, `${at}.arrayValue.values`).map((x, i) => readAnyValue(x, `${at}.arrayValue.values[${i}]`, true));
  }
  if (o.kvlistValue !== undefined || o.kvlist_value !== undefined) {
    const kl = asObject(get(o, 'kvlistValue', 'kvlist_value'), `${at}.kvlistValue`);
    const out: { [k: string]: JsonAnyValue } = {};
    asArray(kl.values, `${at}.kvlistValue.values`).forEach((x, i) => {
      const kv = asObject(x, `${at}.kvlistValue.values[${i}]`);
      const k = asString(kv.key, `${at}.kvlistValue.values[${i}].key`);
      out[k] = kv.value === undefined || kv.value === null ? null : readAnyValue(kv.value, `${at}.kvlistValue.values[${i}].value`, true);
    });
    return out;
  }
  if (o.bytesValue !== undefined || o.bytes_value !== undefined) {
    const b = asString(get(o, 'bytesValue', 'bytes_value'), `${at}.bytesValue`);
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(b)) throw new OtlpDecodeError(`${at}.bytesValue: expected base64`);
    return Buffer.from(b, 'base64').toString('base64');
  }
  return native ? null : '';
}

function readNumberPoints(v: unknown, at: string) {
  return asArray(v, at).map((raw, i) => {
    const pat = `${at}[${i}]`;
    const p = asObject(raw, pat);
    const asD = get(p, 'asDouble', 'as_double');
    const asI = get(p, 'asInt', 'as_int');
    let hasValue = true;
    let value = 0;
    if (asD !== undefined && asD !== null) value = asDouble(asD, `${pat}.asDouble`);
    else if (asI !== undefined && asI !== null) value = asInt(asI, `${pat}.asInt`);
    else hasValue = false;
    return {
      attrs: readAttrs(get(p, 'attributes'), `${pat}.attributes`),
      startMs: timeMs(get(p, 'startTimeUnixNano', 'start_time_unix_nano'), `${pat}.startTimeUnixNano`),
      timeMs: timeMs(get(p, 'timeUnixNano', 'time_unix_nano'), `${pat}.timeUnixNano`),
      hasValue,
      value,
      flags: asInt(get(p, 'flags'), `${pat}.flags`),
    };
  });
}

function readBuckets(v: unknown, at: string): ExpBuckets {
  if (v === undefined || v === null) return { offset: 0, counts: [] };
  const b = asObject(v, at);
  return {
    offset: asInt(get(b, 'offset'), `${at}.offset`),
    counts: asArray(get(b, 'bucketCounts', 'bucket_counts'), `${at}.bucketCounts`).map((c, i) => asInt(c, `${at}.bucketCounts[${i}]`)),
  };
}

/** The fields histogram, exponential histogram and summary points share (`pat`: the point's path). */
function readAggregatePoint(p: Obj, pat: string): AggregatePoint {
  return {
    attrs: readAttrs(get(p, 'attributes'), `${pat}.attributes`),
    startMs: timeMs(get(p, 'startTimeUnixNano', 'start_time_unix_nano'), `${pat}.startTimeUnixNano`),
    timeMs: timeMs(get(p, 'timeUnixNano', 'time_unix_nano'), `${pat}.timeUnixNano`),
    count: asInt(get(p, 'count'), `${pat}.count`),
    sum: asDouble(get(p, 'sum'), `${pat}.sum`),
    flags: asInt(get(p, 'flags'), `${pat}.flags`),
  };
}

function readMetric(raw: unknown, at: string): DecodedMetric {
  const m = asObject(raw, at);
  const name = asString(get(m, 'name'), `${at}.name`);
  const description = asString(get(m, 'description'), `${at}.description`);
  const unit = asString(get(m, 'unit'), `${at}.unit`);
  const base = { name, description, unit };
  if (m.gauge !== undefined && m.gauge !== null) {
    const g = asObject(m.gauge, `${at}.gauge`);
    return { ...base, kind: 'gauge', points: readNumberPoints(get(g, 'dataPoints', 'data_points'), `${at}.gauge.dataPoints`) };
  }
  if (m.sum !== undefined && m.sum !== null) {
    const s = asObject(m.sum, `${at}.sum`);
    return {
      ...base,
      kind: 'sum',
      temporality: asTemporality(get(s, 'aggregationTemporality', 'aggregation_temporality'), `${at}.sum.aggregationTemporality`),
      monotonic: asBool(get(s, 'isMonotonic', 'is_monotonic'), `${at}.sum.isMonotonic`),
      points: readNumberPoints(get(s, 'dataPoints', 'data_points'), `${at}.sum.dataPoints`),
    };
  }
  if (m.histogram !== undefined && m.histogram !== null) {
    const h = asObject(m.histogram, `${at}.histogram`);
    const pts = asArray(get(h, 'dataPoints', 'data_points'), `${at}.histogram.dataPoints`).map((raw2, i) => {
      const pat = `${at}.histogram.dataPoints[${i}]`;
      const p = asObject(raw2, pat);
      const sum = get(p, 'sum');
      return {
        ...readAggregatePoint(p, pat),
        hasSum: sum !== undefined && sum !== null,
        bucketCounts: asArray(get(p, 'bucketCounts', 'bucket_counts'), `${pat}.bucketCounts`).map((c, j) => asInt(c, `${pat}.bucketCounts[${j}]`)),
        bounds: asArray(get(p, 'explicitBounds', 'explicit_bounds'), `${pat}.explicitBounds`).map((c, j) => asDouble(c, `${pat}.explicitBounds[${j}]`)),
      };
    });
    return { ...base, kind: 'histogram', temporality: asTemporality(get(h, 'aggregationTemporality', 'aggregation_temporality'), `${at}.histogram.aggregationTemporality`), points: pts };
  }
  const ehRaw = get(m, 'exponentialHistogram', 'exponential_histogram');
  if (ehRaw !== undefined && ehRaw !== null) {
    const h = asObject(ehRaw, `${at}.exponentialHistogram`);
    const pts = asArray(get(h, 'dataPoints', 'data_points'), `${at}.exponentialHistogram.dataPoints`).map((raw2, i) => {
      const pat = `${at}.exponentialHistogram.dataPoints[${i}]`;
      const p = asObject(raw2, pat);
      const sum = get(p, 'sum');
      return {
        ...readAggregatePoint(p, pat),
        hasSum: sum !== undefined && sum !== null,
        scale: asInt(get(p, 'scale'), `${pat}.scale`),
        zeroCount: asInt(get(p, 'zeroCount', 'zero_count'), `${pat}.zeroCount`),
        zeroThreshold: asDouble(get(p, 'zeroThreshold', 'zero_threshold'), `${pat}.zeroThreshold`),
        positive: readBuckets(get(p, 'positive'), `${pat}.positive`),
        negative: readBuckets(get(p, 'negative'), `${pat}.negative`),
      };
    });
    return {
      ...base,
      kind: 'exponential_histogram',
      temporality: asTemporality(get(h, 'aggregationTemporality', 'aggregation_temporality'), `${at}.exponentialHistogram.aggregationTemporality`),
      points: pts,
    };
  }
  if (m.summary !== undefined && m.summary !== null) {
    const s = asObject(m.summary, `${at}.summary`);
    const pts = asArray(get(s, 'dataPoints', 'data_points'), `${at}.summary.dataPoints`).map((raw2, i) => {
      const pat = `${at}.summary.dataPoints[${i}]`;
      const p = asObject(raw2, pat);
      return {
        ...readAggregatePoint(p, pat),
        quantiles: asArray(get(p, 'quantileValues', 'quantile_values'), `${pat}.quantileValues`).map((qRaw, j): [number, number] => {
          const q = asObject(qRaw, `${pat}.quantileValues[${j}]`);
          return [asDouble(q.quantile, `${pat}.quantileValues[${j}].quantile`), asDouble(q.value, `${pat}.quantileValues[${j}].value`)];
        }),
      };
    });
    return { ...base, kind: 'summary', points: pts };
  }
  return { ...base, kind: 'empty', points: [] };
}
