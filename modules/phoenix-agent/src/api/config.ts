import { ConfigErrors } from '@phoenix/runtime';

/** How the agent talks to phoenix-api. */
export interface ApiClientConfig {
  /** base URL of phoenix-api (PHOENIX_API_URL) */
  url: string;
  /** the agent's API key (PHOENIX_AGENT_KEY) */
  key: string;
  /** this host's id (PHOENIX_HOST_ID, default the host name) */
  hostId: string;
  /** deadline of every call but the long poll */
  requestTimeoutSeconds: number;
  /** how long a long poll waits for a task (the API's poll_timeout_seconds wins once known) */
  pollWaitSeconds: number;
  /** heartbeat interval until the API says otherwise */
  heartbeatIntervalSeconds: number;
  /** retries after a failure wait 0.5 s doubling up to this (with jitter) */
  backoffMaxSeconds: number;
  /** after a 401/403 (wrong, revoked or foreign key), calls are retried this slowly */
  authRetrySeconds: number;
}

export const defaultApiClientConfig: Omit<ApiClientConfig, 'key' | 'hostId'> = {
  url: 'http://127.0.0.1:8084',
  requestTimeoutSeconds: 10,
  pollWaitSeconds: 30,
  heartbeatIntervalSeconds: 10,
  backoffMaxSeconds: 60,
  authRetrySeconds: 60,
};

/** The host id pattern of the agent protocol (agent_heartbeat_response.schema.json). */
export const HOST_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

export function validateApiClientConfig(c: ApiClientConfig, prefix = 'api'): string[] {
  const e = new ConfigErrors();
  e.url(`${prefix}.url`, c.url);
  if (typeof c.key !== 'string' || c.key.length === 0) e.add(`${prefix}.key`, 'is required (the API key phoenix-api issued for this host, or its enrollment key)');
  else if (c.key.length < 16) e.add(`${prefix}.key`, `must be at least 16 characters (got ${c.key.length})`);
  else if (/\s/.test(c.key)) e.add(`${prefix}.key`, 'must not contain white space');
  if (typeof c.hostId !== 'string' || c.hostId.length < 1 || c.hostId.length > 253 || !HOST_ID_PATTERN.test(c.hostId)) {
    e.add(`${prefix}.hostId`, `must be 1-253 letters, digits, '.', '_', ':' or '-', starting with a letter or digit (got ${JSON.stringify(c.hostId)})`);
  }
  e.number(`${prefix}.requestTimeoutSeconds`, c.requestTimeoutSeconds, { min: 0.1, max: 300 });
  e.number(`${prefix}.pollWaitSeconds`, c.pollWaitSeconds, { min: 0, max: 60 });
  e.number(`${prefix}.heartbeatIntervalSeconds`, c.heartbeatIntervalSeconds, { min: 0.05, max: 3600 });
  e.number(`${prefix}.backoffMaxSeconds`, c.backoffMaxSeconds, { min: 0.5, max: 3600 });
  e.number(`${prefix}.authRetrySeconds`, c.authRetrySeconds, { min: 0.1, max: 86400 });
  return e.messages;
}
