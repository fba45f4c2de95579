import { defaultGeneratorsApiConfig } from './api/generatorsApiConfig';
import { defaultExporterConfig } from './exporter/exporterConfig';
import { defaultGeneratorConfig } from './generator/generatorConfig';
import { defaultProfilesDir } from './profiles/loadProfiles';
import { loadServiceConfig, validateServiceConfig } from './serviceConfig';
import { defaultWorkloadConfig } from './workload/workloadConfig';

describe('service config', () => {
  test('defaults are valid: loopback :8082, gRPC to 127.0.0.1:4317, the shipped profiles, idle at boot, info logs', () => {
    expect(loadServiceConfig({})).toEqual({
      config: {
        api: defaultGeneratorsApiConfig,
        exporter: defaultExporterConfig,
        workload: defaultWorkloadConfig,
        generator: defaultGeneratorConfig,
        profilesDir: defaultProfilesDir(),
        autostartScenario: undefined,
        logLevel: 'info',
      },
      errors: [],
    });
  });

  test('reads the service variables', () => {
    const { config, errors } = loadServiceConfig({
      PHOENIX_GENERATORS_SEED: '7',
      PHOENIX_GENERATORS_SCENARIO: 'spike',
      PHOENIX_GENERATORS_PROFILES_DIR: '/srv/profiles',
      PHOENIX_GENERATORS_HOST_PREFIX: 'edge',
      PHOENIX_GENERATORS_SERVICE_NAME: 'hostmetrics',
      PHOENIX_GENERATORS_MAX_PROCESSES: '5000',
      PHOENIX_LOG_LEVEL: 'debug',
    });
    expect(errors).toEqual([]);
    expect(config).toMatchObject({ profilesDir: '/srv/profiles', autostartScenario: 'spike', logLevel: 'debug' });
    expect(config.generator).toMatchObject({ max_total_processes: 5000, default_load: { seed: 7 } });
    expect(config.workload).toMatchObject({ host_name_prefix: 'edge', service_name: 'hostmetrics' });
  });

  test('every problem of every section, unreadable values first, each naming its variable', () => {
    const { errors } = loadServiceConfig({
      PHOENIX_BIND_ADDRESS: '0.0.0.0',
      PHOENIX_LOG_LEVEL: 'loud',
      PHOENIX_GENERATORS_MAX_PROCESSES: '10',
      PHOENIX_GENERATORS_HOST_PREFIX: 'Edge',
      OTEL_EXPORTER_OTLP_TIMEOUT: '0',
    });
    expect(errors).toEqual([
      'PHOENIX_LOG_LEVEL: must be one of debug, info, warn, error (got "loud")',
      'api.bindAddress (PHOENIX_BIND_ADDRESS): refusing to bind the generators API to non-loopback 0.0.0.0 without a token: set PHOENIX_API_TOKEN, or PHOENIX_ALLOW_INSECURE=true to allow it',
      'exporter.timeout_ms (OTEL_EXPORTER_OTLP_TIMEOUT): must be >= 1 (got 0)',
      'workload.host_name_prefix (PHOENIX_GENERATORS_HOST_PREFIX): must be lowercase letters, digits and dashes, 1 to 63 characters (got "Edge")',
      'generator.max_total_processes (PHOENIX_GENERATORS_MAX_PROCESSES): must be at least generator.default_load.hosts x processes_per_host (800; got 10)',
    ]);
  });

  test('the service keys: a bad value is named', () => {
    const base = loadServiceConfig({}).config;
    expect(validateServiceConfig({ ...base, profilesDir: ' ' })).toEqual(['profilesDir (PHOENIX_GENERATORS_PROFILES_DIR): must be a non-empty string']);
    expect(validateServiceConfig({ ...base, logLevel: 'trace' as 'info' })).toEqual(['logLevel (PHOENIX_LOG_LEVEL): must be one of debug, info, warn, error (got "trace")']);
  });
});
