import { ConfigErrors } from '@phoenix/runtime';

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

/** Returns the problems of a config, each `key: problem` (see ConfigErrors); empty when valid. */
export function validateOtlpGrpcReceiverConfig(c: OtlpGrpcReceiverConfig): string[] {
  const e = new ConfigErrors();
  e.nonEmpty('receivers.otlpgrpc.host', c.host);
  e.port('receivers.otlpgrpc.port', c.port);
  e.number('receivers.otlpgrpc.maxRequestBytes', c.maxRequestBytes, { integer: true, min: 1024 });
  return e.messages;
}
