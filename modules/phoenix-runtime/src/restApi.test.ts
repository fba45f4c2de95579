import express from 'express';
import { Registry } from 'prom-client';
import { installApiGuards, tokenMatches } from './apiGuards';
import { installApiTail, readLimitParam } from './apiServer';
import { ConfigErrors } from './configErrors';
import { EnvReader } from './envReader';
import { InvalidInputError, UnavailableError } from './errors';
import { listenHttp, type HttpListener } from './httpListener';
import { silentLogger } from './log';
import { checkListLimits, checkRestApiConfig, readRestApiConfig, restApiEnv, type RestApiConfig } from './restApiConfig';

const NAMES = { port: 'PHOENIX_X_PORT', bodyLimitBytes: 'PHOENIX_X_BODY_LIMIT_BYTES', rateLimitPerMinute: 'PHOENIX_X_RATE_LIMIT' };
const DEFAULTS: RestApiConfig = { port: 9000, bindAddress: '127.0.0.1', allowInsecure: false, bodyLimitBytes: 1024, rateLimitPerMinute: 3 };

describe('REST API config', () => {
  it('reads the shared variables the same way for every service', () => {
    const c = readRestApiConfig(
      new EnvReader({ PHOENIX_X_PORT: '9100', PHOENIX_BIND_ADDRESS: '0.0.0.0', PHOENIX_API_TOKEN: 'x'.repeat(16), PHOENIX_ALLOW_INSECURE: 'on', PHOENIX_X_BODY_LIMIT_BYTES: '2KiB', PHOENIX_X_RATE_LIMIT: '10' }),
      NAMES,
      DEFAULTS,
    );
    expect(c).toEqual({ port: 9100, bindAddress: '0.0.0.0', token: 'x'.repeat(16), allowInsecure: true, bodyLimitBytes: 2048, rateLimitPerMinute: 10 });
    expect(readRestApiConfig(new EnvReader({}), NAMES, DEFAULTS)).toEqual({ ...DEFAULTS, token: undefined });
  });

  it('refuses a short token and a public bind without a token, naming the variables', () => {
    const e = new ConfigErrors(restApiEnv('api', NAMES));
    checkRestApiConfig(e, { ...DEFAULTS, token: 'short-token' }, 'api', 'x API');
    checkRestApiConfig(e, { ...DEFAULTS, bindAddress: '0.0.0.0' }, 'api', 'x API');
    checkRestApiConfig(e, { ...DEFAULTS, port: 70000, bodyLimitBytes: 10, rateLimitPerMinute: 0 }, 'api', 'x API');
    expect(e.messages).toEqual([
      'api.token (PHOENIX_API_TOKEN): must be at least 16 characters when set',
      'api.bindAddress (PHOENIX_BIND_ADDRESS): refusing to bind the x API to non-loopback 0.0.0.0 without a token: set PHOENIX_API_TOKEN, or PHOENIX_ALLOW_INSECURE=true to allow it',
      'api.port (PHOENIX_X_PORT): must be <= 65535 (got 70000)',
      'api.bodyLimitBytes (PHOENIX_X_BODY_LIMIT_BYTES): must be >= 256 (got 10)',
      'api.rateLimitPerMinute (PHOENIX_X_RATE_LIMIT): must be >= 1 (got 0)',
    ]);
    const ok = new ConfigErrors();
    checkRestApiConfig(ok, { ...DEFAULTS, bindAddress: '0.0.0.0', allowInsecure: true }, 'api', 'x API');
    expect(ok.messages).toEqual([]);
  });

  it('list limits: the largest 1..1000, the default within it; the limit parameter read against them', () => {
    const e = new ConfigErrors({ 'api.listMaxLimit': 'PHOENIX_X_MAX', 'api.listDefaultLimit': 'PHOENIX_X_DEFAULT' });
    const keys = { defaultLimit: 'api.listDefaultLimit', maxLimit: 'api.listMaxLimit' };
    checkListLimits(e, keys, 50, 1000);
    expect(e.messages).toEqual([]);
    checkListLimits(e, keys, 60, 50);
    checkListLimits(e, keys, 0, 1001);
    expect(e.messages).toEqual([
      'api.listDefaultLimit (PHOENIX_X_DEFAULT): must be <= 50 (got 60)',
      'api.listMaxLimit (PHOENIX_X_MAX): must be <= 1000 (got 1001)',
      'api.listDefaultLimit (PHOENIX_X_DEFAULT): must be >= 1 (got 0)',
    ]);
    expect(readLimitParam(undefined, 50, 100)).toEqual({ limit: 50 });
    expect(readLimitParam('100', 50, 100)).toEqual({ limit: 100 });
    expect(readLimitParam('1', 50, 100)).toEqual({ limit: 1 });
    for (const bad of ['0', '101', '1.5', 'x', '', ['1', '2']]) {
      expect(readLimitParam(bad, 50, 100)).toEqual({ problem: `limit: must be an integer from 1 to 100 (got ${JSON.stringify(bad)})` });
    }
  });

  it('tokenMatches compares bearer tokens', () => {
    expect(tokenMatches('secret-secret-16', 'Bearer secret-secret-16')).toBe(true);
    expect(tokenMatches('secret-secret-16', 'bearer secret-secret-16 ')).toBe(true);
    expect(tokenMatches('secret-secret-16', 'Bearer other')).toBe(false);
    expect(tokenMatches('secret-secret-16', 'Basic abc')).toBe(false);
    expect(tokenMatches('secret-secret-16', undefined)).toBe(false);
  });
});

describe('API guards and tail', () => {
  let server: HttpListener;
  let base: string;
  const registry = new Registry();

  beforeAll(async () => {
    const app = express();
    const sendError = (res: express.Response, status: number, error: string, details?: string[]): void => {
      res.status(status).json(details ? { error, details } : { error });
    };
    const g = installApiGuards(app, {
      metricName: 'phoenix_x_api_requests_total',
      metricHelp: 'requests',
      realm: 'phoenix-x',
      api: { ...DEFAULTS, token: 'the-token-of-16-chars' },
      registry,
      sendError,
    });
    app.post('/things', g.authorize, g.limiter, g.requireJson, g.json, (req, res) => {
      res.json({ got: req.body as unknown });
    });
    app.get('/bad-input', () => {
      throw new InvalidInputError('no such thing');
    });
    app.get('/busy', () => {
      throw new UnavailableError('database down', 'database', 7);
    });
    app.get('/bug', () => {
      throw new Error('a bug');
    });
    installApiTail(app, { registry, log: silentLogger(), bodyLimitBytes: DEFAULTS.bodyLimitBytes, sendError });
    server = await listenHttp(app, { port: 0, bindAddress: '127.0.0.1' });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.stop());

  const post = (body: string, headers: Record<string, string>): Promise<Response> => fetch(`${base}/things`, { method: 'POST', body, headers });
  const auth = { authorization: 'Bearer the-token-of-16-chars' };

  it('401 without or with a wrong token, with a challenge', async () => {
    const r = await post('{}', { 'content-type': 'application/json' });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer realm="phoenix-x"');
    expect((await post('{}', { 'content-type': 'application/json', authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('415 unless JSON, 400 on bad JSON, 413 on a large body, then 429 over the rate limit', async () => {
    expect((await post('{}', { ...auth, 'content-type': 'text/plain' })).status).toBe(415);
    const bad = await post('{', { ...auth, 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('the body is not valid JSON');
    const big = await post(JSON.stringify({ x: 'y'.repeat(2000) }), { ...auth, 'content-type': 'application/json' });
    expect([big.status, await big.json()]).toEqual([413, { error: 'the body is larger than 1024 bytes' }]);
    // the limiter has counted three requests (3 a minute): the fourth is refused
    const over = await post('{"a":1}', { ...auth, 'content-type': 'application/json' });
    expect(over.status).toBe(429);
  });

  it('maps thrown errors: input 400, unavailable 503 with Retry-After, a bug 500 without details; unknown routes 404', async () => {
    const a = await fetch(`${base}/bad-input`);
    expect([a.status, await a.json()]).toEqual([400, { error: 'no such thing' }]);
    const b = await fetch(`${base}/busy`);
    expect([b.status, b.headers.get('retry-after'), await b.json()]).toEqual([503, '7', { error: 'database down' }]);
    const c = await fetch(`${base}/bug`);
    expect([c.status, await c.json()]).toEqual([500, { error: 'internal error' }]);
    const d = await fetch(`${base}/nowhere`);
    expect([d.status, await d.json()]).toEqual([404, { error: 'no such route' }]);
  });

  it('counts requests by route, method and status on /metrics', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('phoenix_x_api_requests_total{route="/things",method="POST",status="401"} 2');
    expect(text).toContain('phoenix_x_api_requests_total{route="unmatched",method="GET",status="404"} 1');
  });
});
