import { checkRestApiConfig, ConfigErrors, type RestApiConfig } from '@phoenix/runtime';

/** phoenix-api's HTTP listener and guards; `port` is PHOENIX_API_PORT. */
export interface ApiHttpConfig extends RestApiConfig {
  /** requests per host per minute on the agent routes */
  agentRateLimitPerMinute: number;
  /** agent keys looked up are cached this long (a revocation is also announced at once) */
  keyCacheSeconds: number;
}

export const defaultApiHttpConfig: ApiHttpConfig = {
  port: 8084,
  bindAddress: '127.0.0.1',
  allowInsecure: false,
  bodyLimitBytes: 4 * 1024 * 1024,
  rateLimitPerMinute: 120,
  agentRateLimitPerMinute: 600,
  keyCacheSeconds: 2,
};

export function validateApiHttpConfig(c: ApiHttpConfig, prefix = 'api'): string[] {
  const e = new ConfigErrors();
  checkRestApiConfig(e, c, prefix, 'phoenix-api');
  e.number(`${prefix}.agentRateLimitPerMinute`, c.agentRateLimitPerMinute, { integer: true, min: 1, max: 1_000_000 });
  e.number(`${prefix}.keyCacheSeconds`, c.keyCacheSeconds, { min: 0, max: 2 });
  return e.messages;
}
