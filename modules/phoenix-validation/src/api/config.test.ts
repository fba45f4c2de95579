import { leafKeys } from '@phoenix/testkit';
import { defaultApiConfig, validateApiConfig, type ApiConfig } from './config';

const d = defaultApiConfig;
const BAD: Array<[string, Partial<ApiConfig>, string[]]> = [
  ['port', { port: -1 }, ['api.port: must be >= 0 (got -1)']],
  [
    'bindAddress',
    { bindAddress: '192.168.1.10' },
    ['api.bindAddress: refusing to bind the benchmark API to non-loopback 192.168.1.10 without a token: set PHOENIX_API_TOKEN, or PHOENIX_ALLOW_INSECURE=true to allow it'],
  ],
  ['token', { token: 'short' }, ['api.token: must be at least 16 characters when set']],
  ['allowInsecure', { bindAddress: '192.168.1.10', allowInsecure: true }, []],
  ['bodyLimitBytes', { bodyLimitBytes: 100 }, ['api.bodyLimitBytes: must be >= 256 (got 100)']],
  ['rateLimitPerMinute', { rateLimitPerMinute: 1.5 }, ['api.rateLimitPerMinute: must be an integer (got 1.5)']],
  ['listDefaultLimit', { listDefaultLimit: 0 }, ['api.listDefaultLimit: must be >= 1 (got 0)']],
  ['listMaxLimit', { listMaxLimit: 1001 }, ['api.listMaxLimit: must be <= 1000 (got 1001)']],
];

describe('validateApiConfig (validation)', () => {
  it('the defaults are valid: :8083 on loopback, no token, 16 KiB bodies, 30 changes a minute, lists of 50 of at most 1000', () => {
    expect(d).toEqual({ port: 8083, bindAddress: '127.0.0.1', allowInsecure: false, bodyLimitBytes: 16384, rateLimitPerMinute: 30, listDefaultLimit: 50, listMaxLimit: 1000 });
    expect(validateApiConfig(d)).toEqual([]);
  });

  it.each(BAD)('a bad %s: the message names the key (allowInsecure: the exception that lifts the loopback rule)', (_key, bad, messages) => {
    expect(validateApiConfig({ ...d, ...bad })).toEqual(messages);
  });

  it('every key has a case', () => {
    expect(BAD.map(([k]) => k).sort()).toEqual([...leafKeys(d), 'token'].sort());
  });
});
