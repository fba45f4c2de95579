import { validatePrometheusExporterConfig, type PrometheusExporterConfig } from './prometheusExporter';

describe('validatePrometheusExporterConfig', () => {
  const ok: PrometheusExporterConfig = { host: '127.0.0.1', port: 8888, path: '/metrics' };

  test('a valid config has no problems', () => {
    expect(validatePrometheusExporterConfig('full_fidelity', ok)).toEqual([]);
  });

  test.each<[string, Partial<PrometheusExporterConfig>, string]>([
    ['host', { host: '' }, 'exporters.full_fidelity.host: must be a non-empty string'],
    ['port', { port: 65536 }, 'exporters.full_fidelity.port: must be <= 65535 (got 65536)'],
    ['path', { path: 'metrics' }, 'exporters.full_fidelity.path: must start with "/" (got "metrics")'],
  ])('%s: %j → the message names the key', (_key, change, message) => {
    expect(validatePrometheusExporterConfig('full_fidelity', { ...ok, ...change })).toEqual([message]);
  });
});
