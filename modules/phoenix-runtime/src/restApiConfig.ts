import { ConfigErrors, isLoopback } from './configErrors';
import type { EnvReader } from './envReader';

/** The shortest PHOENIX_API_TOKEN any service accepts. */
export const MIN_API_TOKEN_LENGTH = 16;

/** The listener and guard settings every Phoenix REST API has; the same variable means the same in each. */
export interface RestApiConfig {
  /** the module's PHOENIX_*_PORT (0 = any free port) */
  port: number;
  /** PHOENIX_BIND_ADDRESS */
  bindAddress: string;
  /** PHOENIX_API_TOKEN: bearer token of the mutating routes; unset → loopback clients only */
  token?: string;
  /** PHOENIX_ALLOW_INSECURE: allow a non-loopback bind without a token (and non-loopback mutating clients) */
  allowInsecure: boolean;
  /** largest accepted request body */
  bodyLimitBytes: number;
  /** mutating requests per client per minute */
  rateLimitPerMinute: number;
}

/** The variables of a service's own REST settings (the shared ones are fixed). */
export interface RestApiEnvNames {
  port: string;
  bodyLimitBytes: string;
  rateLimitPerMinute: string;
}

/** Config key → environment variable of the REST settings under `prefix` (for {@link ConfigErrors}). */
export function restApiEnv(prefix: string, names: RestApiEnvNames): Record<string, string> {
  return {
    [`${prefix}.port`]: names.port,
    [`${prefix}.bindAddress`]: 'PHOENIX_BIND_ADDRESS',
    [`${prefix}.token`]: 'PHOENIX_API_TOKEN',
    [`${prefix}.allowInsecure`]: 'PHOENIX_ALLOW_INSECURE',
    [`${prefix}.bodyLimitBytes`]: names.bodyLimitBytes,
    [`${prefix}.rateLimitPerMinute`]: names.rateLimitPerMinute,
  };
}

/** Reads the REST settings: the service's port, body and rate limits, and the shared bind/token/insecure variables. */
export function readRestApiConfig(r: EnvReader, names: RestApiEnvNames, defaults: RestApiConfig): RestApiConfig {
  return {
    port: r.int(names.port, defaults.port),
    bindAddress: r.str('PHOENIX_BIND_ADDRESS') ?? defaults.bindAddress,
    token: r.str('PHOENIX_API_TOKEN') ?? defaults.token,
    allowInsecure: r.bool('PHOENIX_ALLOW_INSECURE', defaults.allowInsecure),
    bodyLimitBytes: r.bytes(names.bodyLimitBytes, defaults.bodyLimitBytes),
    rateLimitPerMinute: r.int(names.rateLimitPerMinute, defaults.rateLimitPerMinute),
  };
}

/**
 * Checks the RestApiConfig part of `c` into `e` (keys under `prefix`); `apiName` names the API in
 * the refusal to bind a non-loopback address without a token.
 */
export function checkRestApiConfig(e: ConfigErrors, c: RestApiConfig, prefix: string, apiName: string): void {
  e.port(`${prefix}.port`, c.port);
  e.nonEmpty(`${prefix}.bindAddress`, c.bindAddress);
  if (c.token !== undefined && c.token.length < MIN_API_TOKEN_LENGTH) {
    e.add(`${prefix}.token`, `must be at least ${MIN_API_TOKEN_LENGTH} characters when set`);
  }
  if (!c.token && !c.allowInsecure && typeof c.bindAddress === 'string' && c.bindAddress !== '' && !isLoopback(c.bindAddress)) {
    e.add(
      `${prefix}.bindAddress`,
      `refusing to bind the ${apiName} to non-loopback ${c.bindAddress} without a token: set PHOENIX_API_TOKEN, or PHOENIX_ALLOW_INSECURE=true to allow it`,
    );
  }
  e.number(`${prefix}.bodyLimitBytes`, c.bodyLimitBytes, { integer: true, min: 256, max: 16 * 1024 * 1024 });
  e.number(`${prefix}.rateLimitPerMinute`, c.rateLimitPerMinute, { integer: true, min: 1, max: 1_000_000 });
}

/** The largest `limit` any list route accepts. */
export const MAX_LIST_LIMIT = 1000;

/**
 * Checks the `limit` settings of a list route: the largest one (1..{@link MAX_LIST_LIMIT}) and the default
 * (1..the largest); `keys` are their config keys.
 */
export function checkListLimits(e: ConfigErrors, keys: { defaultLimit: string; maxLimit: string }, defaultLimit: number, maxLimit: number): void {
  e.number(keys.maxLimit, maxLimit, { integer: true, min: 1, max: MAX_LIST_LIMIT });
  e.number(keys.defaultLimit, defaultLimit, { integer: true, min: 1, max: maxLimit });
}
