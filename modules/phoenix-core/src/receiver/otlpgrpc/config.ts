/** Configuration of the OTLP/gRPC receiver. */
export interface OtlpGrpcReceiverConfig {
  host: string;
  /** 0 picks a free port */
  port: number;
  /** largest accepted message, after decompression, in bytes (larger → RESOURCE_EXHAUSTED) */
  maxRequestBytes: number;
}

export const defaultOtlpGrpcReceiverConfig: OtlpGrpcReceiverConfig = {
  host: '127.0.0.1',
  port: 4317,
  maxRequestBytes: 16 * 1024 * 1024,
};

export function validateOtlpGrpcReceiverConfig(c: OtlpGrpcReceiverConfig): string[] {
  const errs: string[] = [];
  if (!c.host) errs.push('receivers.otlpgrpc.host: must not be empty');
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) errs.push('receivers.otlpgrpc.port: must be an integer in 0..65535');
  if (!Number.isInteger(c.maxRequestBytes) || c.maxRequestBytes < 1024) errs.push('receivers.otlpgrpc.maxRequestBytes: must be an integer ≥ 1024');
  return errs;
}
