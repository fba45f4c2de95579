import { ConfigErrors, isLoopback } from './configUtil';

/** The listener and guard settings every Phoenix REST API has (control, validation). */
export interface RestApiConfig {
  /** the module's PHOENIX_*_PORT */
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
}

/**
 * Checks the RestApiConfig part of `c` into `e` (keys under `prefix`); `apiName` names the API in
 * the refusal to bind a non-loopback address without a token.
 */
export function checkRestApiConfig(e: ConfigErrors, c: RestApiConfig, prefix: string, apiName: string): void {
  e.port(`${prefix}.port`, c.port);
  e.nonEmpty(`${prefix}.bindAddress`, c.bindAddress);
  if (c.token !== undefined && c.token.length < 16) e.add(`${prefix}.token`, 'must be at least 16 characters when set');
  if (!c.token && !c.allowInsecure && typeof c.bindAddress === 'string' && c.bindAddress !== '' && !isLoopback(c.bindAddress)) {
    e.add(
      `${prefix}.bindAddress`,
      `refusing to bind the ${apiName} to non-loopback ${c.bindAddress} without a token: set PHOENIX_API_TOKEN, or PHOENIX_ALLOW_INSECURE=true to allow it`,
    );
  }
  e.number(`${prefix}.bodyLimitBytes`, c.bodyLimitBytes, { integer: true, min: 256, max: 1024 * 1024 });
  e.number(`${prefix}.rateLimitPerMinute`, c.rateLimitPerMinute, { integer: true, min: 1 });
}
