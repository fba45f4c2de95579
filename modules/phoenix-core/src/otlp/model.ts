import { InvalidInputError } from '@phoenix/runtime';

/**
 * The decoded form of an OTLP ExportMetricsServiceRequest that the series store ingests.
 * Both the protobuf and the JSON decoders produce it. Attribute values are already turned into
 * label strings (the OpenTelemetry → Prometheus rules: strings as-is, other scalars as text,
 * arrays and maps as JSON, bytes as base64). Timestamps are milliseconds since the epoch.
 */
export type Attr = [key: string, value: string];

export const enum Temporality {
  Unspecified = 0,
  Delta = 1,
  Cumulative = 2,
}

export interface NumberPoint {
  /** decoded attributes; empty while `attrBuf` holds them undecoded */
  attrs: Attr[];
  /**
   * With lazy decoding: the buffer and byte range of the point's (contiguous) attribute fields.
   * The store keys known series by these bytes and decodes them only for a new series.
   */
  attrBuf?: Buffer;
  attrStart?: number;
  attrEnd?: number;
  startMs: number;
  timeMs: number;
  /** false when neither as_double nor as_int was set */
  hasValue: boolean;
  value: number;
  flags: number;
}

/** The fields histogram, exponential histogram and summary points share. */
export interface AggregatePoint {
  attrs: Attr[];
  startMs: number;
  timeMs: number;
  count: number;
  sum: number;
  flags: number;
}

export interface HistogramPoint extends AggregatePoint {
  hasSum: boolean;
  bucketCounts: number[];
  bounds: number[];
}

export interface ExpBuckets {
  offset: number;
  counts: number[];
}

export interface ExpHistogramPoint extends AggregatePoint {
  hasSum: boolean;
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  positive: ExpBuckets;
  negative: ExpBuckets;
}

export interface SummaryPoint extends AggregatePoint {
  quantiles: Array<[quantile: number, value: number]>;
}

interface MetricBase {
  name: string;
  description: string;
  unit: string;
}

export type DecodedMetric =
  | (MetricBase & { kind: 'gauge'; points: NumberPoint[] })
  | (MetricBase & { kind: 'sum'; temporality: Temporality; monotonic: boolean; points: NumberPoint[] })
  | (MetricBase & { kind: 'histogram'; temporality: Temporality; points: HistogramPoint[] })
  | (MetricBase & { kind: 'exponential_histogram'; temporality: Temporality; points: ExpHistogramPoint[] })
  | (MetricBase & { kind: 'summary'; points: SummaryPoint[] })
  | (MetricBase & { kind: 'empty'; points: [] });

export interface DecodedScopeMetrics {
  scopeName: string;
  scopeVersion: string;
  metrics: DecodedMetric[];
}

export interface DecodedResourceMetrics {
  resourceAttrs: Attr[];
  scopes: DecodedScopeMetrics[];
}

export interface DecodedRequest {
  resourceMetrics: DecodedResourceMetrics[];
}

/** Number of data points in a request (what OTLP counts for partial success). */
export function countPoints(req: DecodedRequest): number {
  let n = 0;
  for (const rm of req.resourceMetrics) for (const sm of rm.scopes) for (const m of sm.metrics) n += m.points.length;
  return n;
}

/**
 * Malformed OTLP/JSON (the protobuf decoder throws the runtime's ProtobufDecodeError): an
 * InvalidInputError, so the receivers answer HTTP 400 / INVALID_ARGUMENT and the client does not retry.
 */
export class OtlpDecodeError extends InvalidInputError {
  constructor(message: string) {
    super(message, 'invalid_json');
    this.name = 'OtlpDecodeError';
  }
}
