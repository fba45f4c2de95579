/** One field read from the wire. Varints are bigint (int64 safe); length-delimited values are Buffers. */
export type PbReadField =
  | { f: number; wire: 0; v: bigint }
  | { f: number; wire: 1; v: Buffer }
  | { f: number; wire: 2; v: Buffer }
  | { f: number; wire: 5; v: Buffer };

/** Reads the top-level fields of a protobuf message; throws on malformed input. */
export function readFields(buf: Buffer): PbReadField[] {
  const out: PbReadField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new Error('varint too long');
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const f = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ f, wire, v: varint() });
    else if (wire === 1 || wire === 5) {
      const len = wire === 1 ? 8 : 4;
      if (pos + len > buf.length) throw new Error('truncated fixed field');
      out.push({ f, wire, v: buf.subarray(pos, pos + len) });
      pos += len;
    } else if (wire === 2) {
      const len = Number(varint());
      if (pos + len > buf.length) throw new Error('truncated length-delimited field');
      out.push({ f, wire, v: buf.subarray(pos, pos + len) });
      pos += len;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

/** ExportMetricsServiceResponse.partial_success, if any. */
export interface PartialSuccess {
  rejectedDataPoints: number;
  errorMessage: string;
}

/** Decodes an ExportMetricsServiceResponse (partial_success = 1 { rejected_data_points = 1; error_message = 2 }). */
export function decodeExportResponse(buf: Buffer): PartialSuccess | undefined {
  let partial: PartialSuccess | undefined;
  for (const fld of readFields(buf)) {
    if (fld.f === 1 && fld.wire === 2) {
      partial = { rejectedDataPoints: 0, errorMessage: '' };
      for (const inner of readFields(fld.v)) {
        if (inner.f === 1 && inner.wire === 0) partial.rejectedDataPoints = Number(BigInt.asIntN(64, inner.v));
        if (inner.f === 2 && inner.wire === 2) partial.errorMessage = inner.v.toString('utf8');
      }
    }
  }
  return partial;
}

/** The message of a google.rpc.Status (code = 1, message = 2), or undefined when not decodable. */
export function decodeStatusMessage(buf: Buffer): string | undefined {
  try {
    for (const fld of readFields(buf)) if (fld.f === 2 && fld.wire === 2) return fld.v.toString('utf8');
  } catch {
    return undefined;
  }
  return undefined;
}
