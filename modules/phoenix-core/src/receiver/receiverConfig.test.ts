import { defaultOtlpGrpcReceiverConfig, validateOtlpGrpcReceiverConfig, type OtlpGrpcReceiverConfig } from './otlpgrpc/config';
import { defaultOtlpHttpReceiverConfig, validateOtlpHttpReceiverConfig, type OtlpHttpReceiverConfig } from './otlphttp/config';

describe('validateOtlpHttpReceiverConfig', () => {
  test('the defaults are valid', () => {
    expect(defaultOtlpHttpReceiverConfig).toEqual({ host: '127.0.0.1', port: 4318, path: '/v1/metrics', maxRequestBytes: 16_777_216 });
    expect(validateOtlpHttpReceiverConfig(defaultOtlpHttpReceiverConfig)).toEqual([]);
  });

  test.each<[string, Partial<OtlpHttpReceiverConfig>, string]>([
    ['host', { host: '' }, 'receivers.otlphttp.host: must be a non-empty string'],
    ['port', { port: 70000 }, 'receivers.otlphttp.port: must be <= 65535 (got 70000)'],
    ['port', { port: 1.5 }, 'receivers.otlphttp.port: must be an integer (got 1.5)'],
    ['path', { path: 'v1/metrics' }, 'receivers.otlphttp.path: must start with "/" (got "v1/metrics")'],
    ['maxRequestBytes', { maxRequestBytes: 100 }, 'receivers.otlphttp.maxRequestBytes: must be >= 1024 (got 100)'],
  ])('%s: %j → the message names the key', (_key, change, message) => {
    expect(validateOtlpHttpReceiverConfig({ ...defaultOtlpHttpReceiverConfig, ...change })).toEqual([message]);
  });
});

describe('validateOtlpGrpcReceiverConfig', () => {
  test('the defaults are valid', () => {
    expect(defaultOtlpGrpcReceiverConfig).toEqual({ host: '127.0.0.1', port: 4317, maxRequestBytes: 16_777_216 });
    expect(validateOtlpGrpcReceiverConfig(defaultOtlpGrpcReceiverConfig)).toEqual([]);
  });

  test.each<[string, Partial<OtlpGrpcReceiverConfig>, string]>([
    ['host', { host: '' }, 'receivers.otlpgrpc.host: must be a non-empty string'],
    ['port', { port: -1 }, 'receivers.otlpgrpc.port: must be >= 0 (got -1)'],
    ['maxRequestBytes', { maxRequestBytes: 2048.5 }, 'receivers.otlpgrpc.maxRequestBytes: must be an integer (got 2048.5)'],
  ])('%s: %j → the message names the key', (_key, change, message) => {
    expect(validateOtlpGrpcReceiverConfig({ ...defaultOtlpGrpcReceiverConfig, ...change })).toEqual([message]);
  });
});
