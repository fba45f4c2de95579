import { forEachField, ProtoReader } from '@phoenix/runtime';

/** ExportMetricsServiceResponse.partial_success, if any. */
export interface PartialSuccess {
  rejectedDataPoints: number;
  errorMessage: string;
}

/**
 * Decodes an ExportMetricsServiceResponse (partial_success = 1 { rejected_data_points = 1 (int64);
 * error_message = 2 }). Malformed bytes throw a ProtobufDecodeError; fields of another wire type are skipped.
 */
export function decodeExportResponse(buf: Buffer): PartialSuccess | undefined {
  let partial: PartialSuccess | undefined;
  forEachField(new ProtoReader(buf), (field, wire, r) => {
    if (field !== 1 || wire !== 2) return;
    const p: PartialSuccess = { rejectedDataPoints: 0, errorMessage: '' };
    forEachField(r.sub(), (f, w, inner) => {
      if (f === 1 && w === 0) p.rejectedDataPoints = Number(inner.int64Big());
      else if (f === 2 && w === 2) p.errorMessage = inner.string();
    });
    partial = p;
  });
  return partial;
}

/** The message of a google.rpc.Status (code = 1, message = 2), or undefined when there is none or the bytes do not decode. */
export function decodeStatusMessage(buf: Buffer): string | undefined {
  let message: string | undefined;
  try {
    forEachField(new ProtoReader(buf), (field, wire, r) => {
      if (field === 2 && wire === 2) message = r.string();
    });
  } catch {
    return undefined;
  }
  return message;
}
