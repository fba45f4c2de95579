import { ConfigErrors } from '@phoenix/runtime';

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

/** Returns the problems of a config, each `key: problem` (see ConfigErrors); empty when valid. */
export function validateOtlpHttpReceiverConfig(c: OtlpHttpReceiverConfig): string[] {
  const e = new ConfigErrors();
  e.nonEmpty('receivers.otlphttp.host', c.host);
  e.port('receivers.otlphttp.port', c.port);
  if (!c.path.startsWith('/')) e.add('receivers.otlphttp.path', `must start with "/" (got ${JSON.stringify(c.path)})`);
  e.number('receivers.otlphttp.maxRequestBytes', c.maxRequestBytes, { integer: true, min: 1024 });
  return e.messages;
}
