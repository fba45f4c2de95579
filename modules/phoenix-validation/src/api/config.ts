import { ConfigErrors, isLoopback } from '@phoenix/runtime';

export interface ApiConfig {
  /** PHOENIX_VALIDATION_PORT. */
  port: number;
  /** PHOENIX_BIND_ADDRESS. */
  bindAddress: string;
  /** PHOENIX_API_TOKEN: bearer token of the mutating routes; unset -> loopback clients only. */
  token?: string;
  /** PHOENIX_ALLOW_INSECURE: allow a non-loopback bind without a token (and non-loopback mutating clients). */
  allowInsecure: boolean;
  /** Largest accepted request body. */
  bodyLimitBytes: number;
  /** Mutating requests per client per minute. */
  rateLimitPerMinute: number;
  listDefaultLimit: number;
  listMaxLimit: number;
}

export const defaultApiConfig: ApiConfig = {
  port: 8083,
  bindAddress: '127.0.0.1',
  allowInsecure: false,
  bodyLimitBytes: 16 * 1024,
  rateLimitPerMinute: 30,
  listDefaultLimit: 50,
  listMaxLimit: 1000,
};

export function validateApiConfig(c: ApiConfig, prefix = 'api'): string[] {
  const e = new ConfigErrors();
  e.port(`${prefix}.port`, c.port);
  e.nonEmpty(`${prefix}.bindAddress`, c.bindAddress);
  if (c.token !== undefined && c.token.length < 16) e.add(`${prefix}.token`, 'must be at least 16 characters when set');
  if (!c.token && !c.allowInsecure && typeof c.bindAddress === 'string' && c.bindAddress !== '' && !isLoopback(c.bindAddress)) {
    e.add(
      `${prefix}.bindAddress`,
      `refusing to bind the benchmark API to non-loopback ${c.bindAddress} without a token: set PHOENIX_API_TOKEN, or PHOENIX_ALLOW_INSECURE=true to allow it`,
    );
  }
  e.number(`${prefix}.bodyLimitBytes`, c.bodyLimitBytes, { integer: true, min: 256, max: 1024 * 1024 });
  e.number(`${prefix}.rateLimitPerMinute`, c.rateLimitPerMinute, { integer: true, min: 1 });
  e.number(`${prefix}.listMaxLimit`, c.listMaxLimit, { integer: true, min: 1, max: 1000 });
  e.number(`${prefix}.listDefaultLimit`, c.listDefaultLimit, { integer: true, min: 1, max: c.listMaxLimit });
  return e.messages;
}
