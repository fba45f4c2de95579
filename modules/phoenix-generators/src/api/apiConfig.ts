/** The load-control REST API's listener and security settings. */
export interface ApiConfig {
  /** PHOENIX_GENERATORS_PORT (0 = any free port). */
  port: number;
  /** PHOENIX_BIND_ADDRESS. */
  bind_address: string;
  /** PHOENIX_API_TOKEN: bearer token required by mutating routes when set. */
  api_token: string | undefined;
  /** PHOENIX_ALLOW_INSECURE=true: allow a non-loopback bind (and non-loopback mutating clients) without a token. */
  allow_insecure: boolean;
  /** PHOENIX_GENERATORS_RATE_LIMIT: mutating requests per client per minute. */
  rate_limit_per_minute: number;
  /** PHOENIX_GENERATORS_BODY_LIMIT_BYTES: largest JSON body accepted. */
  body_limit_bytes: number;
}

/** Defaults: loopback on 8082. */
export const defaultApiConfig: ApiConfig = {
  port: 8082,
  bind_address: '127.0.0.1',
  api_token: undefined,
  allow_insecure: false,
  rate_limit_per_minute: 60,
  body_limit_bytes: 16 * 1024,
};

/** Whether an address (listen or peer) is loopback. */
export function isLoopbackAddress(addr: string | undefined): boolean {
  if (!addr) return false;
  const a = addr.startsWith('::ffff:') ? addr.slice(7) : addr;
  return a === 'localhost' || a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

/** Reads the API settings from the environment. */
export function apiConfigFromEnv(env: NodeJS.ProcessEnv): ApiConfig {
  const num = (v: string | undefined, d: number): number => (v === undefined || v.trim() === '' ? d : Number(v));
  const token = env.PHOENIX_API_TOKEN;
  return {
    port: num(env.PHOENIX_GENERATORS_PORT, defaultApiConfig.port),
    bind_address: env.PHOENIX_BIND_ADDRESS?.trim() || defaultApiConfig.bind_address,
    api_token: token !== undefined && token !== '' ? token : undefined,
    allow_insecure: env.PHOENIX_ALLOW_INSECURE === 'true',
    rate_limit_per_minute: num(env.PHOENIX_GENERATORS_RATE_LIMIT, defaultApiConfig.rate_limit_per_minute),
    body_limit_bytes: num(env.PHOENIX_GENERATORS_BODY_LIMIT_BYTES, defaultApiConfig.body_limit_bytes),
  };
}

/** Problems with an API config, each naming the key (and its environment variable). */
export function validateApiConfig(c: ApiConfig): string[] {
  const errors: string[] = [];
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) {
    errors.push(`api.port: must be an integer in 0..65535 (got ${String(c.port)}; env PHOENIX_GENERATORS_PORT)`);
  }
  if (c.bind_address === '') errors.push('api.bind_address: must not be empty (env PHOENIX_BIND_ADDRESS)');
  if (!Number.isInteger(c.rate_limit_per_minute) || c.rate_limit_per_minute < 1 || c.rate_limit_per_minute > 1_000_000) {
    errors.push(
      `api.rate_limit_per_minute: must be an integer in 1..1000000 (got ${String(c.rate_limit_per_minute)}; env PHOENIX_GENERATORS_RATE_LIMIT)`,
    );
  }
  if (!Number.isInteger(c.body_limit_bytes) || c.body_limit_bytes < 64 || c.body_limit_bytes > 10 * 1024 * 1024) {
    errors.push(
      `api.body_limit_bytes: must be an integer in 64..10485760 (got ${String(c.body_limit_bytes)}; env PHOENIX_GENERATORS_BODY_LIMIT_BYTES)`,
    );
  }
  if (c.api_token !== undefined && c.api_token.length < 8) {
    errors.push('api.api_token: must be at least 8 characters (env PHOENIX_API_TOKEN)');
  }
  if (!isLoopbackAddress(c.bind_address) && c.api_token === undefined && !c.allow_insecure) {
    errors.push(
      `api.bind_address: ${c.bind_address} is not a loopback address and no api_token is set; set PHOENIX_API_TOKEN, ` +
        'or PHOENIX_ALLOW_INSECURE=true to serve mutating routes without authentication',
    );
  }
  return errors;
}
