import { checkListLimits, checkRestApiConfig, ConfigErrors, type RestApiConfig } from '@phoenix/runtime';

/** The API's settings; `port` is PHOENIX_CONTROL_API_PORT. */
export interface ApiConfig extends RestApiConfig {
  historyDefaultLimit: number;
  historyMaxLimit: number;
}

export const defaultApiConfig: ApiConfig = {
  port: 8080,
  bindAddress: '127.0.0.1',
  allowInsecure: false,
  bodyLimitBytes: 16 * 1024,
  rateLimitPerMinute: 30,
  historyDefaultLimit: 100,
  historyMaxLimit: 1000,
};

export function validateApiConfig(c: ApiConfig, prefix = 'api'): string[] {
  const e = new ConfigErrors();
  checkRestApiConfig(e, c, prefix, 'control API');
  checkListLimits(e, { defaultLimit: `${prefix}.historyDefaultLimit`, maxLimit: `${prefix}.historyMaxLimit` }, c.historyDefaultLimit, c.historyMaxLimit);
  return e.messages;
}
