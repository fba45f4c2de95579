import path from 'node:path';
import protobuf from 'protobufjs';

/**
 * Reference OTLP/protobuf codec for tests, built with protobufjs from the vendored OTLP definitions
 * in `contracts/proto` (see its README). Tests use it to produce requests the way a real sender would and
 * to check Phoenix's hand-written decoder and its responses against an independent implementation.
 *
 * Field names are the protobufjs defaults: lowerCamelCase, i.e. the OTLP/JSON names
 * (`resourceMetrics`, `timeUnixNano`, `asInt`, ...).
 */

/** The vendored `.proto` root (`contracts/proto`); the same relative path works from `src/` (jest) and `dist/` (tsc). */
export const OTLP_PROTO_DIR = path.resolve(__dirname, '../../../contracts/proto');

/** Fully qualified names of the message types the helpers use. */
export const OTLP_TYPES = {
  exportRequest: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
  exportResponse: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse',
  status: 'google.rpc.Status',
} as const;

const ENTRY_FILES = ['opentelemetry/proto/collector/metrics/v1/metrics_service.proto', 'google/rpc/status.proto'];

let cachedRoot: protobuf.Root | undefined;

/**
 * Loads (once) every vendored OTLP definition into a protobufjs Root. Imports are resolved against
 * `contracts/proto`; `google/protobuf/*.proto` well-known types come from protobufjs' bundled copies.
 */
export function loadOtlpRoot(): protobuf.Root {
  if (cachedRoot) return cachedRoot;
  const root = new protobuf.Root();
  root.resolvePath = (_origin: string, target: string): string =>
    path.isAbsolute(target) ? target : path.join(OTLP_PROTO_DIR, target);
  root.loadSync(ENTRY_FILES);
  root.resolveAll();
  cachedRoot = root;
  return root;
}

/** A message type of the vendored definitions, by fully qualified name. */
export function otlpType(name: string): protobuf.Type {
  return loadOtlpRoot().lookupType(name);
}

/**
 * Conversion used when decoding: 64-bit integers as decimal strings (nanosecond timestamps exceed 2^53),
 * enums as numbers, bytes as Buffer/Uint8Array, and only the fields present on the wire (`defaults: false`;
 * a oneof member set to 0, e.g. `asDouble: 0`, is present). Pass `{ ...DEFAULT_DECODE_OPTIONS, oneofs: true }`
 * to also get the name of each oneof's set member as a virtual field (e.g. `value: 'asInt'`, `data: 'sum'`).
 */
export const DEFAULT_DECODE_OPTIONS: protobuf.IConversionOptions = {
  longs: String,
  enums: Number,
  defaults: false,
  oneofs: false,
};

/** bigint values are turned into decimal strings, which protobufjs accepts for 64-bit fields. */
function normalizeInput(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(normalizeInput);
  if (value instanceof Uint8Array) return value;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalizeInput(v);
    return out;
  }
  return value;
}

/** Encodes a plain object (camelCase field names; 64-bit values as number, string, bigint or Long) as `type`. */
export function encodeMessage(typeName: string, obj: object): Uint8Array {
  const type = otlpType(typeName);
  const message = type.fromObject(normalizeInput(obj) as Record<string, unknown>);
  const problem = type.verify(message);
  if (problem) throw new Error(`invalid ${typeName}: ${problem}`);
  return type.encode(message).finish();
}

/** Decodes bytes as `type` into a plain object (see DEFAULT_DECODE_OPTIONS); throws on malformed input. */
export function decodeMessage(
  typeName: string,
  bytes: Uint8Array,
  options: protobuf.IConversionOptions = DEFAULT_DECODE_OPTIONS,
): Record<string, unknown> {
  const type = otlpType(typeName);
  return type.toObject(type.decode(bytes), options) as Record<string, unknown>;
}

/** Encodes an `ExportMetricsServiceRequest` (the body of OTLP/HTTP `POST /v1/metrics` and of the gRPC Export call). */
export function encodeExportRequest(obj: object): Uint8Array {
  return encodeMessage(OTLP_TYPES.exportRequest, obj);
}

/** Decodes an `ExportMetricsServiceRequest`. */
export function decodeExportRequest(
  bytes: Uint8Array,
  options?: protobuf.IConversionOptions,
): Record<string, unknown> {
  return decodeMessage(OTLP_TYPES.exportRequest, bytes, options);
}

/** Encodes an `ExportMetricsServiceResponse` (e.g. `{ partialSuccess: { rejectedDataPoints: 3, errorMessage: '...' } }`). */
export function encodeExportResponse(obj: object): Uint8Array {
  return encodeMessage(OTLP_TYPES.exportResponse, obj);
}

/** Decodes an `ExportMetricsServiceResponse` (what a Phoenix receiver answers). */
export function decodeExportResponse(
  bytes: Uint8Array,
  options?: protobuf.IConversionOptions,
): Record<string, unknown> {
  return decodeMessage(OTLP_TYPES.exportResponse, bytes, options);
}

/**
 * Encodes a `google.rpc.Status` (the body of a failed OTLP/HTTP request). Its `details` are
 * `google.protobuf.Any` from protobufjs' bundled well-known types, whose fields keep snake_case (`type_url`, `value`).
 */
export function encodeStatus(obj: object): Uint8Array {
  return encodeMessage(OTLP_TYPES.status, obj);
}

/** Decodes a `google.rpc.Status`. */
export function decodeStatus(bytes: Uint8Array, options?: protobuf.IConversionOptions): Record<string, unknown> {
  return decodeMessage(OTLP_TYPES.status, bytes, options);
}
