import { checkRestApiConfig, ConfigErrors, readRestApiConfig, restApiEnv, type EnvReader, type RestApiConfig } from '@phoenix/runtime';

/** The load-control API's settings: the runtime's REST settings, the same variables as every Phoenix API. */
export type GeneratorsApiConfig = RestApiConfig;

/** The API's own variables (the bind address, token and insecure mode are shared by every service). */
export const GENERATORS_API_ENV_NAMES = {
  port: 'PHOENIX_GENERATORS_PORT',
  bodyLimitBytes: 'PHOENIX_GENERATORS_BODY_LIMIT_BYTES',
  rateLimitPerMinute: 'PHOENIX_GENERATORS_RATE_LIMIT',
} as const;

/** Config key (`api.*`) → the variable that sets it. */
export const GENERATORS_API_ENV: Readonly<Record<string, string>> = restApiEnv('api', GENERATORS_API_ENV_NAMES);

/** Defaults: loopback on 8082, no token (loopback clients only), 60 mutating requests a minute, 16 KiB bodies. */
export const defaultGeneratorsApiConfig: GeneratorsApiConfig = {
  port: 8082,
  bindAddress: '127.0.0.1',
  token: undefined,
  allowInsecure: false,
  bodyLimitBytes: 16 * 1024,
  rateLimitPerMinute: 60,
};

/** Reads the API settings (`PHOENIX_ALLOW_INSECURE` by the one bool parser; sizes like `16KiB`). */
export function readGeneratorsApiConfig(r: EnvReader): GeneratorsApiConfig {
  return readRestApiConfig(r, GENERATORS_API_ENV_NAMES, defaultGeneratorsApiConfig);
}

/** Problems with the API settings, each `api.<key> (VARIABLE): problem` (a token needs 16 characters, as everywhere). */
export function validateGeneratorsApiConfig(c: GeneratorsApiConfig): string[] {
  const e = new ConfigErrors(GENERATORS_API_ENV);
  checkRestApiConfig(e, c, 'api', 'generators API');
  return e.messages;
}
