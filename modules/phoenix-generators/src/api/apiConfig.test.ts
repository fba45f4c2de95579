import type { Request, Response } from 'express';
import { apiConfigFromEnv, defaultApiConfig, isLoopbackAddress, validateApiConfig } from './apiConfig';
import { bearerAuth } from './bearerAuth';

describe('apiConfig', () => {
  test('reads the environment', () => {
    expect(apiConfigFromEnv({})).toEqual(defaultApiConfig);
    expect(
      apiConfigFromEnv({
        PHOENIX_GENERATORS_PORT: '9000',
        PHOENIX_BIND_ADDRESS: '0.0.0.0',
        PHOENIX_API_TOKEN: 'abcdefgh',
        PHOENIX_ALLOW_INSECURE: 'true',
        PHOENIX_GENERATORS_RATE_LIMIT: '5',
        PHOENIX_GENERATORS_BODY_LIMIT_BYTES: '2048',
      }),
    ).toEqual({ port: 9000, bind_address: '0.0.0.0', api_token: 'abcdefgh', allow_insecure: true, rate_limit_per_minute: 5, body_limit_bytes: 2048 });
  });

  test('refuses a non-loopback bind without a token unless PHOENIX_ALLOW_INSECURE=true', () => {
    const open = { ...defaultApiConfig, bind_address: '0.0.0.0' };
    expect(validateApiConfig(open)).toEqual([expect.stringMatching(/^api\.bind_address: 0\.0\.0\.0 is not a loopback address and no api_token is set; set PHOENIX_API_TOKEN, or PHOENIX_ALLOW_INSECURE=true/)]);
    expect(validateApiConfig({ ...open, allow_insecure: true })).toEqual([]);
    expect(validateApiConfig({ ...open, api_token: 'long-enough' })).toEqual([]);
    expect(validateApiConfig({ ...defaultApiConfig, bind_address: '127.0.0.1' })).toEqual([]);
  });

  test('names the offending keys', () => {
    expect(validateApiConfig({ ...defaultApiConfig, port: 70000, rate_limit_per_minute: 0, body_limit_bytes: 1, api_token: 'short' })).toEqual([
      expect.stringMatching(/^api\.port: .*PHOENIX_GENERATORS_PORT/),
      expect.stringMatching(/^api\.rate_limit_per_minute: .*PHOENIX_GENERATORS_RATE_LIMIT/),
      expect.stringMatching(/^api\.body_limit_bytes: .*PHOENIX_GENERATORS_BODY_LIMIT_BYTES/),
      expect.stringMatching(/^api\.api_token: .*PHOENIX_API_TOKEN/),
    ]);
  });

  test('isLoopbackAddress', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', 'localhost']) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of ['0.0.0.0', '10.0.0.5', '::', '::ffff:10.0.0.5', undefined]) expect(isLoopbackAddress(a)).toBe(false);
  });
});

describe('bearerAuth without a token', () => {
  function run(remoteAddress: string, allowInsecure: boolean): { status?: number; nextCalled: boolean } {
    const out: { status?: number; nextCalled: boolean } = { nextCalled: false };
    const req = { socket: { remoteAddress }, get: () => undefined } as unknown as Request;
    const res = {
      status(code: number) {
        out.status = code;
        return this;
      },
      json() {
        return this;
      },
      set() {
        return this;
      },
    } as unknown as Response;
    bearerAuth(undefined, allowInsecure)(req, res, () => {
      out.nextCalled = true;
    });
    return out;
  }

  test('accepts loopback clients and refuses others with 403', () => {
    expect(run('127.0.0.1', false)).toEqual({ nextCalled: true });
    expect(run('10.1.2.3', false)).toEqual({ status: 403, nextCalled: false });
    expect(run('10.1.2.3', true)).toEqual({ nextCalled: true });
  });
});
