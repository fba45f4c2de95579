/** Configuration of the OTLP/HTTP receiver. */
export interface OtlpHttpReceiverConfig {
  host: string;
  /** 0 picks a free port */
  port: number;
  path: string;
  /** largest accepted body, after gzip decompression, in bytes */
  maxRequestBytes: number;
}

export const defaultOtlpHttpReceiverConfig: OtlpHttpReceiverConfig = {
  host: '127.0.0.1',
  port: 4318,
  path: '/v1/metrics',
  maxRequestBytes: 16 * 1024 * 1024,
};

export function validateOtlpHttpReceiverConfig(c: OtlpHttpReceiverConfig): string[] {
  const errs: string[] = [];
  if (!c.host) errs.push('receivers.otlphttp.host: must not be empty');
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) errs.push('receivers.otlphttp.port: must be an integer in 0..65535');
  if (!c.path.startsWith('/')) errs.push('receivers.otlphttp.path: must start with "/"');
  if (!Number.isInteger(c.maxRequestBytes) || c.maxRequestBytes < 1024) errs.push('receivers.otlphttp.maxRequestBytes: must be an integer ≥ 1024');
  return errs;
}
