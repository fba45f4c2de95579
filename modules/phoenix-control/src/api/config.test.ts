import { leafKeys } from '@phoenix/testkit';
import { defaultApiConfig, validateApiConfig, type ApiConfig } from './config';

const d = defaultApiConfig;
const BAD: Array<[string, Partial<ApiConfig>, string[]]> = [
  ['port', { port: 65536 }, ['api.port: must be <= 65535 (got 65536)']],
  [
    'bindAddress',
    { bindAddress: '0.0.0.0' },
    ['api.bindAddress: refusing to bind the control API to non-loopback 0.0.0.0 without a token: set PHOENIX_API_TOKEN, or PHOENIX_ALLOW_INSECURE=true to allow it'],
  ],
  ['token', { token: 'short' }, ['api.token: must be at least 16 characters when set']],
  ['allowInsecure', { bindAddress: '0.0.0.0', allowInsecure: true }, []],
  ['bodyLimitBytes', { bodyLimitBytes: 16 * 1024 * 1024 + 1 }, ['api.bodyLimitBytes: must be <= 16777216 (got 16777217)']],
  ['rateLimitPerMinute', { rateLimitPerMinute: 0 }, ['api.rateLimitPerMinute: must be >= 1 (got 0)']],
  ['historyDefaultLimit', { historyDefaultLimit: 0 }, ['api.historyDefaultLimit: must be >= 1 (got 0)']],
  ['historyMaxLimit', { historyMaxLimit: 1001 }, ['api.historyMaxLimit: must be <= 1000 (got 1001)']],
];

describe('validateApiConfig (control)', () => {
  it('the defaults are valid: :8080 on loopback, no token, 16 KiB bodies, 30 changes a minute, history 100 of at most 1000', () => {
    expect(d).toEqual({ port: 8080, bindAddress: '127.0.0.1', allowInsecure: false, bodyLimitBytes: 16384, rateLimitPerMinute: 30, historyDefaultLimit: 100, historyMaxLimit: 1000 });
    expect(validateApiConfig(d)).toEqual([]);
  });

  it.each(BAD)('a bad %s: the message names the key (allowInsecure: the exception that lifts the loopback rule)', (_key, bad, messages) => {
    expect(validateApiConfig({ ...d, ...bad })).toEqual(messages);
  });

  it('every key has a case', () => {
    expect(BAD.map(([k]) => k).sort()).toEqual([...leafKeys(d), 'token'].sort());
  });
});
