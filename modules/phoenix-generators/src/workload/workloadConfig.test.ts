import { EnvReader } from '@phoenix/runtime';
import { defaultWorkloadConfig, readWorkloadConfig, validateWorkloadConfig, type WorkloadConfig } from './workloadConfig';

describe('workload config', () => {
  test.each<[keyof WorkloadConfig, number | string]>([
    ['cpu_pareto_alpha', 1.1],
    ['cpu_min_cores', 0.003],
    ['cpu_max_cores', 8],
    ['cpu_noise_sigma', 0.25],
    ['churn_exit_share', 0.5],
    ['churn_restart_share', 0.35],
    ['churn_reset_share', 0.15],
    ['leak_fraction_per_hour', 0.05],
    ['host_name_prefix', 'sim-host'],
    ['service_name', 'phoenix-generators'],
  ])('default of %s: %p', (key, value) => {
    const r = new EnvReader({});
    expect(readWorkloadConfig(r)[key]).toBe(value);
    expect(r.errors).toEqual([]);
  });

  test('the defaults are valid; two keys are set by variables', () => {
    expect(Object.keys(defaultWorkloadConfig)).toHaveLength(10);
    expect(validateWorkloadConfig(defaultWorkloadConfig)).toEqual([]);
    expect(readWorkloadConfig(new EnvReader({ PHOENIX_GENERATORS_HOST_PREFIX: ' edge ', PHOENIX_GENERATORS_SERVICE_NAME: 'hostmetrics' }))).toMatchObject({
      host_name_prefix: 'edge',
      service_name: 'hostmetrics',
    });
  });

  test.each<[Partial<WorkloadConfig>, string[]]>([
    [{ cpu_pareto_alpha: 1 }, ['workload.cpu_pareto_alpha: must be > 1 (got 1)']],
    [{ cpu_pareto_alpha: 10.5 }, ['workload.cpu_pareto_alpha: must be <= 10 (got 10.5)']],
    [{ cpu_min_cores: 0 }, ['workload.cpu_min_cores: must be > 0 (got 0)']],
    [{ cpu_max_cores: 2000 }, ['workload.cpu_max_cores: must be <= 1024 (got 2000)']],
    [{ cpu_noise_sigma: -0.1 }, ['workload.cpu_noise_sigma: must be >= 0 (got -0.1)']],
    [{ churn_exit_share: 2 }, ['workload.churn_exit_share: must be <= 1 (got 2)']],
    [{ churn_restart_share: Number.NaN }, ['workload.churn_restart_share: must be a finite number (got NaN)']],
    [{ churn_reset_share: 1.5 }, ['workload.churn_reset_share: must be <= 1 (got 1.5)']],
    [{ churn_exit_share: 0, churn_restart_share: 0, churn_reset_share: 0 }, ['workload.churn_exit_share: churn_exit_share + churn_restart_share + churn_reset_share must be > 0']],
    [{ leak_fraction_per_hour: 11 }, ['workload.leak_fraction_per_hour: must be <= 10 (got 11)']],
    [{ host_name_prefix: 'Edge_1' }, ['workload.host_name_prefix (PHOENIX_GENERATORS_HOST_PREFIX): must be lowercase letters, digits and dashes, 1 to 63 characters (got "Edge_1")']],
    [{ service_name: 'x'.repeat(256) }, ['workload.service_name (PHOENIX_GENERATORS_SERVICE_NAME): must be 1 to 255 characters (got 256)']],
  ])('a bad value is named: %j', (change, messages) => {
    expect(validateWorkloadConfig({ ...defaultWorkloadConfig, ...change })).toEqual(messages);
  });
});
