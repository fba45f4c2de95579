import { checkListLimits, checkRestApiConfig, ConfigErrors, type RestApiConfig } from '@phoenix/runtime';

/** The API's settings; `port` is PHOENIX_VALIDATION_PORT. */
export interface ApiConfig extends RestApiConfig {
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
  checkRestApiConfig(e, c, prefix, 'benchmark API');
  checkListLimits(e, { defaultLimit: `${prefix}.listDefaultLimit`, maxLimit: `${prefix}.listMaxLimit` }, c.listDefaultLimit, c.listMaxLimit);
  return e.messages;
}
