import { EnvReader } from '@phoenix/runtime';
import { defaultGeneratorsApiConfig, readGeneratorsApiConfig, validateGeneratorsApiConfig, type GeneratorsApiConfig } from './generatorsApiConfig';

const read = (env: Record<string, string>): { config: GeneratorsApiConfig; errors: string[] } => {
  const r = new EnvReader(env);
  const config = readGeneratorsApiConfig(r);
  return { config, errors: [...r.errors, ...validateGeneratorsApiConfig(config)] };
};

describe('generators API config (the runtime REST settings)', () => {
  test('defaults: loopback :8082, no token, 60 mutating requests a minute, 16 KiB bodies', () => {
    expect(read({})).toEqual({
      config: { port: 8082, bindAddress: '127.0.0.1', token: undefined, allowInsecure: false, bodyLimitBytes: 16384, rateLimitPerMinute: 60 },
      errors: [],
    });
    expect(defaultGeneratorsApiConfig).toEqual(read({}).config);
  });

  test('reads every variable; PHOENIX_ALLOW_INSECURE takes the one bool parser, sizes take units', () => {
    const env = {
      PHOENIX_GENERATORS_PORT: '9000',
      PHOENIX_BIND_ADDRESS: '0.0.0.0',
      PHOENIX_API_TOKEN: 'a-token-of-16-chars',
      PHOENIX_ALLOW_INSECURE: 'yes',
      PHOENIX_GENERATORS_RATE_LIMIT: '5',
      PHOENIX_GENERATORS_BODY_LIMIT_BYTES: '2KiB',
    };
    expect(read(env)).toEqual({
      config: { port: 9000, bindAddress: '0.0.0.0', token: 'a-token-of-16-chars', allowInsecure: true, rateLimitPerMinute: 5, bodyLimitBytes: 2048 },
      errors: [],
    });
    for (const v of ['1', 'true', 'on', 'YES']) expect(read({ PHOENIX_ALLOW_INSECURE: v }).config.allowInsecure).toBe(true);
    for (const v of ['0', 'false', 'off', 'no']) expect(read({ PHOENIX_ALLOW_INSECURE: v }).config.allowInsecure).toBe(false);
  });

  test('a non-loopback bind without a token is refused unless PHOENIX_ALLOW_INSECURE is on', () => {
    expect(read({ PHOENIX_BIND_ADDRESS: '0.0.0.0' }).errors).toEqual([
      'api.bindAddress (PHOENIX_BIND_ADDRESS): refusing to bind the generators API to non-loopback 0.0.0.0 without a token: set PHOENIX_API_TOKEN, or PHOENIX_ALLOW_INSECURE=true to allow it',
    ]);
    expect(read({ PHOENIX_BIND_ADDRESS: '0.0.0.0', PHOENIX_ALLOW_INSECURE: '1' }).errors).toEqual([]);
    expect(read({ PHOENIX_BIND_ADDRESS: '0.0.0.0', PHOENIX_API_TOKEN: 'x'.repeat(16) }).errors).toEqual([]);
  });

  test.each([
    [{ PHOENIX_GENERATORS_PORT: '70000' }, ['api.port (PHOENIX_GENERATORS_PORT): must be <= 65535 (got 70000)']],
    [{ PHOENIX_GENERATORS_PORT: 'http' }, ['PHOENIX_GENERATORS_PORT: must be an integer (got "http")']],
    [{ PHOENIX_API_TOKEN: 'abcdefgh' }, ['api.token (PHOENIX_API_TOKEN): must be at least 16 characters when set']],
    [{ PHOENIX_ALLOW_INSECURE: 'maybe' }, ['PHOENIX_ALLOW_INSECURE: must be true or false (1/0, yes/no, on/off; got "maybe")']],
    [{ PHOENIX_GENERATORS_RATE_LIMIT: '0' }, ['api.rateLimitPerMinute (PHOENIX_GENERATORS_RATE_LIMIT): must be >= 1 (got 0)']],
    [{ PHOENIX_GENERATORS_BODY_LIMIT_BYTES: '100' }, ['api.bodyLimitBytes (PHOENIX_GENERATORS_BODY_LIMIT_BYTES): must be >= 256 (got 100)']],
    [{ PHOENIX_GENERATORS_BODY_LIMIT_BYTES: 'big' }, ['PHOENIX_GENERATORS_BODY_LIMIT_BYTES: must be a size in bytes such as 16384, 16KiB, 1MB (got "big")']],
  ])('a bad value is named: %j', (env, errors) => {
    expect(read(env).errors).toEqual(errors);
  });

  test('the bind address may not be empty', () => {
    expect(validateGeneratorsApiConfig({ ...defaultGeneratorsApiConfig, bindAddress: '' })).toEqual(['api.bindAddress (PHOENIX_BIND_ADDRESS): must be a non-empty string']);
  });
});
