import { EnvReader } from '@phoenix/runtime';
import { defaultGeneratorConfig, readGeneratorConfig, validateGeneratorConfig, type GeneratorConfig } from './generatorConfig';

const withLoad = (load: Partial<GeneratorConfig['default_load']>): GeneratorConfig => ({ ...defaultGeneratorConfig, default_load: { ...defaultGeneratorConfig.default_load, ...load } });

describe('generator config', () => {
  test('defaults: the steady profile shape, seed 42, at most 200000 processes', () => {
    const r = new EnvReader({});
    expect(readGeneratorConfig(r)).toEqual({
      default_load: { hosts: 10, processes_per_host: 80, churn_rate: 0.01, export_interval_seconds: 10, seed: 42 },
      max_total_processes: 200_000,
      cardinality_limit: 1_000_000,
      rotate_after_exited: 1_000,
      collect_timeout_ms: 30_000,
    });
    expect(r.errors).toEqual([]);
    expect(validateGeneratorConfig(defaultGeneratorConfig)).toEqual([]);
  });

  test('PHOENIX_GENERATORS_SEED and PHOENIX_GENERATORS_MAX_PROCESSES', () => {
    const c = readGeneratorConfig(new EnvReader({ PHOENIX_GENERATORS_SEED: '7', PHOENIX_GENERATORS_MAX_PROCESSES: '5000' }));
    expect([c.default_load.seed, c.max_total_processes]).toEqual([7, 5000]);
    const bad = new EnvReader({ PHOENIX_GENERATORS_SEED: 'abc', PHOENIX_GENERATORS_MAX_PROCESSES: '1e9x' });
    expect(readGeneratorConfig(bad)).toEqual(defaultGeneratorConfig);
    expect(bad.errors).toEqual(['PHOENIX_GENERATORS_SEED: must be an integer (got "abc")', 'PHOENIX_GENERATORS_MAX_PROCESSES: must be an integer (got "1e9x")']);
  });

  test.each([
    [{ ...defaultGeneratorConfig, max_total_processes: 10_000_001 }, 'generator.max_total_processes (PHOENIX_GENERATORS_MAX_PROCESSES): must be <= 10000000 (got 10000001)'],
    [{ ...defaultGeneratorConfig, max_total_processes: 10 }, 'generator.max_total_processes (PHOENIX_GENERATORS_MAX_PROCESSES): must be at least generator.default_load.hosts x processes_per_host (800; got 10)'],
    [{ ...defaultGeneratorConfig, cardinality_limit: 2000 }, 'generator.cardinality_limit: must be >= 2001 (got 2000)'],
    [{ ...defaultGeneratorConfig, rotate_after_exited: 0 }, 'generator.rotate_after_exited: must be >= 1 (got 0)'],
    [{ ...defaultGeneratorConfig, collect_timeout_ms: 1.5 }, 'generator.collect_timeout_ms: must be an integer (got 1.5)'],
    [withLoad({ hosts: 0 }), 'generator.default_load.hosts: must be >= 1 (got 0)'],
    [withLoad({ hosts: 1, processes_per_host: 100_001 }), 'generator.default_load.processes_per_host: must be <= 100000 (got 100001)'],
    [withLoad({ seed: -1 }), 'generator.default_load.seed (PHOENIX_GENERATORS_SEED): must be >= 0 (got -1)'],
    [withLoad({ churn_rate: 1.5 }), 'generator.default_load.churn_rate: must be <= 1 (got 1.5)'],
    [withLoad({ export_interval_seconds: 0.05 }), 'generator.default_load.export_interval_seconds: must be >= 0.1 (got 0.05)'],
  ])('a bad value is named: %#', (c, message) => {
    expect(validateGeneratorConfig(c)).toEqual([message]);
  });
});
