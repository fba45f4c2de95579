import { EnvReader } from '@phoenix/runtime';
import { defaultExporterConfig, loadExporterConfig, readExporterConfig, validateExporterConfig, type ExporterConfig } from './exporterConfig';

const read = (env: Record<string, string>): ExporterConfig => readExporterConfig(new EnvReader(env));

describe('exporter config: reading', () => {
  test('defaults to gRPC on 127.0.0.1:4317, 10 s timeout, 8 hosts at once', () => {
    expect(loadExporterConfig({})).toEqual({ config: defaultExporterConfig, errors: [] });
    expect(defaultExporterConfig).toEqual({ protocol: 'grpc', url: 'http://127.0.0.1:4317', timeout_ms: 10_000, max_concurrent_exports: 8 });
  });

  test('OTEL_EXPORTER_OTLP_PROTOCOL selects OTLP/HTTP; the base endpoint gets /v1/metrics', () => {
    expect(read({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }).url).toBe('http://127.0.0.1:4318/v1/metrics');
    expect(read({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://core:9999/' })).toMatchObject({ protocol: 'http/json', url: 'http://core:9999/v1/metrics' });
  });

  test('the signal-specific variables are used as they are and win', () => {
    const c = read({
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://x:1/custom',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://y:2',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      PHOENIX_GENERATORS_EXPORT_CONCURRENCY: '3',
    });
    expect(c).toEqual({ protocol: 'http/protobuf', url: 'http://x:1/custom', timeout_ms: 2500, max_concurrent_exports: 3 });
  });

  test('gRPC keeps the endpoint as given; the timeout is milliseconds or a duration with a unit', () => {
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://core:4317' }).url).toBe('http://core:4317');
    expect(read({ OTEL_EXPORTER_OTLP_TIMEOUT: '2.5s' }).timeout_ms).toBe(2500);
    expect(read({ OTEL_EXPORTER_OTLP_TIMEOUT: '750ms' }).timeout_ms).toBe(750);
  });
});

describe('exporter config: every key, a bad value and the message naming it', () => {
  test.each([
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon' }, ['OTEL_EXPORTER_OTLP_PROTOCOL: must be one of grpc, http/protobuf, http/json (got "carrier-pigeon")']],
    [{ OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'udp' }, ['OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: must be one of grpc, http/protobuf, http/json (got "udp")']],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, ['exporter.url (OTEL_EXPORTER_OTLP_ENDPOINT): must be a URL (got "not a url")']],
    [{ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'ftp://x/v1/metrics' }, ['exporter.url (OTEL_EXPORTER_OTLP_METRICS_ENDPOINT): must be an http(s) URL (got ftp://x/v1/metrics)']],
    [{ OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' }, ['OTEL_EXPORTER_OTLP_TIMEOUT: must be a duration such as 250ms, 30s, 2m (got "soon")']],
    [{ OTEL_EXPORTER_OTLP_TIMEOUT: '0' }, ['exporter.timeout_ms (OTEL_EXPORTER_OTLP_TIMEOUT): must be >= 1 (got 0)']],
    [{ OTEL_EXPORTER_OTLP_TIMEOUT: '20m' }, ['exporter.timeout_ms (OTEL_EXPORTER_OTLP_TIMEOUT): must be <= 600000 (got 1200000)']],
    [{ PHOENIX_GENERATORS_EXPORT_CONCURRENCY: 'many' }, ['PHOENIX_GENERATORS_EXPORT_CONCURRENCY: must be an integer (got "many")']],
    [{ PHOENIX_GENERATORS_EXPORT_CONCURRENCY: '0' }, ['exporter.max_concurrent_exports (PHOENIX_GENERATORS_EXPORT_CONCURRENCY): must be >= 1 (got 0)']],
  ])('%j', (env, errors) => {
    expect(loadExporterConfig(env).errors).toEqual(errors);
  });

  test('a config made in code is checked the same way', () => {
    const bad = { protocol: 'smoke' as ExporterConfig['protocol'], url: 'nowhere', timeout_ms: 1.5, max_concurrent_exports: 2000 };
    expect(validateExporterConfig(bad)).toEqual([
      'exporter.protocol (OTEL_EXPORTER_OTLP_PROTOCOL): must be one of grpc, http/protobuf, http/json (got "smoke")',
      'exporter.url (OTEL_EXPORTER_OTLP_ENDPOINT): must be a URL (got "nowhere")',
      'exporter.timeout_ms (OTEL_EXPORTER_OTLP_TIMEOUT): must be an integer (got 1.5)',
      'exporter.max_concurrent_exports (PHOENIX_GENERATORS_EXPORT_CONCURRENCY): must be <= 1024 (got 2000)',
    ]);
  });
});
