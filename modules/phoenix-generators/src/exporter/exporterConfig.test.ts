import { defaultExporterConfig, exporterConfigFromEnv, validateExporterConfig } from './exporterConfig';

describe('exporterConfigFromEnv', () => {
  test('defaults to gRPC on 127.0.0.1:4317', () => {
    expect(exporterConfigFromEnv({})).toEqual(defaultExporterConfig);
  });

  test('OTEL_EXPORTER_OTLP_PROTOCOL selects OTLP/HTTP; the base endpoint gets /v1/metrics', () => {
    expect(exporterConfigFromEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }).url).toBe('http://127.0.0.1:4318/v1/metrics');
    const c = exporterConfigFromEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://core:9999/' });
    expect(c).toMatchObject({ protocol: 'http/json', url: 'http://core:9999/v1/metrics' });
  });

  test('the signal-specific endpoint is used as is and wins', () => {
    const c = exporterConfigFromEnv({
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://x:1/custom',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://y:2',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
    });
    expect(c).toMatchObject({ protocol: 'http/protobuf', url: 'http://x:1/custom', timeout_ms: 2500 });
  });

  test('gRPC keeps the endpoint as given', () => {
    expect(exporterConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://core:4317' }).url).toBe('http://core:4317');
  });
});

describe('validateExporterConfig', () => {
  test('accepts the defaults', () => {
    expect(validateExporterConfig(defaultExporterConfig)).toEqual([]);
  });

  test('names the key and the environment variable', () => {
    const errors = validateExporterConfig(
      exporterConfigFromEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon', OTEL_EXPORTER_OTLP_TIMEOUT: 'soon', PHOENIX_GENERATORS_EXPORT_CONCURRENCY: '0' }),
    );
    expect(errors).toEqual([
      expect.stringMatching(/^exporter\.protocol: must be one of grpc, http\/protobuf, http\/json \(got "carrier-pigeon"; env OTEL_EXPORTER_OTLP_PROTOCOL\)/),
      expect.stringMatching(/^exporter\.timeout_ms: .*OTEL_EXPORTER_OTLP_TIMEOUT/),
      expect.stringMatching(/^exporter\.max_concurrent_exports: .*PHOENIX_GENERATORS_EXPORT_CONCURRENCY/),
    ]);
    expect(validateExporterConfig({ ...defaultExporterConfig, url: 'not a url' })).toEqual([expect.stringMatching(/^exporter\.url: not a URL/)]);
  });
});
