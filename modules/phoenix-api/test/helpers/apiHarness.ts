import { memoryLogger, silentLogger, type Logger } from '@phoenix/runtime';
import { createOpenApiValidator, type OpenApiResponseValidator } from '@phoenix/contracts';
import { loadConfig, type ApiServiceConfig } from '../../src/config';
import { ApiService, type ApiServiceDeps } from '../../src/service';
import type { DbHarness } from './dbHarness';

export const AGENT_KEY = 'test-enrollment-key-0123456789';

/** A config for tests: any free port, the suite's database, short intervals, PHOENIX_AGENT_KEY set. */
export function testConfig(h: DbHarness, env: Record<string, string> = {}): ApiServiceConfig {
  const { config, errors } = loadConfig({
    PHOENIX_API_PORT: '0',
    PHOENIX_DATA_DIR: h.dataDir,
    PHOENIX_AGENT_KEY: AGENT_KEY,
    PHOENIX_FLEET_CONTROLLER_ENABLED: 'false',
    PHOENIX_LEADER_RETRY_SECONDS: '0.5',
    ...env,
  });
  if (errors.length > 0) throw new Error(errors.join('; '));
  return { ...config, database: { ...h.config, ...(env.PHOENIX_DATABASE_URL ? { url: env.PHOENIX_DATABASE_URL } : {}) } };
}

/** Starts an ApiService (stop it in afterEach/afterAll). */
export async function startApi(h: DbHarness, env: Record<string, string> = {}, deps: ApiServiceDeps = {}): Promise<ApiService & { url: string }> {
  const s = new ApiService(testConfig(h, env), { log: silentLogger(), processMetrics: false, ...deps });
  await s.start();
  return Object.assign(s, { url: `http://127.0.0.1:${s.port}` });
}

export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** A JSON request: `body` is sent as JSON unless it is a string (sent as is). */
export async function call(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON (metrics)
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** The headers of an agent request. */
export function agentHeaders(hostId: string, key = AGENT_KEY): Record<string, string> {
  return { 'x-agent-host-id': hostId, authorization: `Bearer ${key}` };
}

/** A valid heartbeat body. */
export function heartbeat(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hostname: 'test-host',
    agent_version: '0.1.0',
    capabilities: ['set_control', 'restart_core', 'collect_diagnostics'],
    resource_usage: { agent: { rss_bytes: 40_000_000, cpu_seconds_total: 1.5 } },
    active_tasks: [],
    active_pipelines: [],
    started_at: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

let validator: OpenApiResponseValidator | undefined;

/** Validates a response against contracts/openapi/api.openapi.yaml (status documented, body matching). */
export function checkResponse(method: string, requestPath: string, a: Answer): string[] {
  validator ??= createOpenApiValidator('api');
  const media = a.status === 204 ? undefined : validator.media(method, requestPath, a.status)[0];
  const r = validator(method, requestPath.split('?')[0], a.status, a.status === 204 ? undefined : a.body, media);
  return r.ok ? [] : r.errors;
}

export { memoryLogger, type Logger };
