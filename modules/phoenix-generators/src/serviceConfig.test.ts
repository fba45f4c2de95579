import { defaultProfilesDir } from './profiles/loadProfiles';
import { serviceConfigFromEnv, validateServiceConfig } from './serviceConfig';

describe('serviceConfigFromEnv', () => {
  test('defaults are valid: loopback :8082, gRPC to 127.0.0.1:4317, shipped profiles, idle at boot', () => {
    const c = serviceConfigFromEnv({});
    expect(validateServiceConfig(c)).toEqual([]);
    expect(c).toMatchObject({
      api: { port: 8082, bind_address: '127.0.0.1' },
      exporter: { protocol: 'grpc', url: 'http://127.0.0.1:4317' },
      profiles_dir: defaultProfilesDir(),
      autostart_scenario: undefined,
      log_level: 'info',
    });
  });

  test('reads the generator variables', () => {
    const c = serviceConfigFromEnv({
      PHOENIX_GENERATORS_SEED: '7',
      PHOENIX_GENERATORS_SCENARIO: 'spike',
      PHOENIX_GENERATORS_HOST_PREFIX: 'edge',
      PHOENIX_GENERATORS_SERVICE_NAME: 'hostmetrics',
      PHOENIX_GENERATORS_MAX_PROCESSES: '5000',
      PHOENIX_LOG_LEVEL: 'debug',
    });
    expect(c.generator.default_load.seed).toBe(7);
    expect(c.generator.max_total_processes).toBe(5000);
    expect(c.workload).toMatchObject({ host_name_prefix: 'edge', service_name: 'hostmetrics' });
    expect(c.autostart_scenario).toBe('spike');
    expect(validateServiceConfig(c)).toEqual([]);
  });

  test('every problem names its key', () => {
    const c = serviceConfigFromEnv({ PHOENIX_BIND_ADDRESS: '0.0.0.0', PHOENIX_LOG_LEVEL: 'loud', PHOENIX_GENERATORS_MAX_PROCESSES: '10' });
    expect(validateServiceConfig(c)).toEqual([
      expect.stringMatching(/^api\.bind_address: /),
      expect.stringMatching(/^generator\.default_load\.hosts: hosts x processes_per_host exceeds generator\.max_total_processes/),
      expect.stringMatching(/^log_level: /),
    ]);
  });
});
