/**
 * Encoders for the two messages the receivers send back: ExportMetricsServiceResponse (with
 * partial_success when points were refused) and google.rpc.Status (the body of HTTP 4xx/5xx),
 * in protobuf or in the OTLP/JSON mapping.
 */

function varint(n: number, out: number[]): void {
  let v = Math.floor(n);
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function lenField(field: number, bytes: Buffer, out: number[]): void {
  out.push((field << 3) | 2);
  varint(bytes.length, out);
  for (const b of bytes) out.push(b);
}

export interface PartialSuccess {
  rejectedDataPoints: number;
  errorMessage: string;
}

/** ExportMetricsServiceResponse as protobuf; empty (all accepted) when `partial` is undefined. */
export function encodeExportResponseProto(partial?: PartialSuccess): Buffer {
  if (!partial) return Buffer.alloc(0);
  const inner: number[] = [];
  if (partial.rejectedDataPoints > 0) {
    inner.push(1 << 3);
    varint(partial.rejectedDataPoints, inner);
  }
  if (partial.errorMessage) lenField(2, Buffer.from(partial.errorMessage, 'utf8'), inner);
  const out: number[] = [];
  lenField(1, Buffer.from(inner), out);
  return Buffer.from(out);
}

/** ExportMetricsServiceResponse in OTLP/JSON (int64 as a decimal string). */
export function encodeExportResponseJson(partial?: PartialSuccess): string {
  if (!partial) return '{}';
  return JSON.stringify({
    partialSuccess: { rejectedDataPoints: String(partial.rejectedDataPoints), errorMessage: partial.errorMessage },
  });
}

/** google.rpc.Status { code, message } as protobuf. */
export function encodeStatusProto(code: number, message: string): Buffer {
  const out: number[] = [];
  if (code !== 0) {
    out.push(1 << 3);
    varint(code, out);
  }
  if (message) lenField(2, Buffer.from(message, 'utf8'), out);
  return Buffer.from(out);
}

export function encodeStatusJson(code: number, message: string): string {
  return JSON.stringify({ code, message });
}

/** gRPC status codes used by the receivers (google.rpc.Code). */
export const GrpcCode = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;
