import type { GeneratorsEffectiveLoad } from '@phoenix/contracts';
import { ConfigErrors, type EnvReader } from '@phoenix/runtime';

/** The seed used when none is given. */
export const DEFAULT_SEED = 42;

/** Limits and defaults of the generator. */
export interface GeneratorConfig {
  /** Load used by PUT /api/v1/load for the fields it omits when nothing ran yet. */
  default_load: GeneratorsEffectiveLoad;
  /** Upper bound of hosts x processes_per_host (PUT and scenarios). */
  max_total_processes: number;
  /** The SDK's per-instrument cardinality limit (per host); far above any host's attribute sets. */
  cardinality_limit: number;
  /** A host's MeterProvider is rebuilt when it remembers more than max(this, live) exited processes. */
  rotate_after_exited: number;
  /** Timeout of one SDK collection (ms). */
  collect_timeout_ms: number;
}

/** Defaults: the `steady` profile's shape. */
export const defaultGeneratorConfig: GeneratorConfig = {
  default_load: { hosts: 10, processes_per_host: 80, churn_rate: 0.01, export_interval_seconds: 10, seed: DEFAULT_SEED },
  max_total_processes: 200_000,
  cardinality_limit: 1_000_000,
  rotate_after_exited: 1_000,
  collect_timeout_ms: 30_000,
};

/** Config key → variable (the other keys are set only in code). */
export const GENERATOR_ENV: Readonly<Record<string, string>> = {
  'generator.default_load.seed': 'PHOENIX_GENERATORS_SEED',
  'generator.max_total_processes': 'PHOENIX_GENERATORS_MAX_PROCESSES',
};

/** Reads PHOENIX_GENERATORS_SEED and PHOENIX_GENERATORS_MAX_PROCESSES over the defaults. */
export function readGeneratorConfig(r: EnvReader): GeneratorConfig {
  const d = defaultGeneratorConfig;
  return {
    ...d,
    default_load: { ...d.default_load, seed: r.int('PHOENIX_GENERATORS_SEED', d.default_load.seed) },
    max_total_processes: r.int('PHOENIX_GENERATORS_MAX_PROCESSES', d.max_total_processes),
  };
}

/** Problems with a generator config, each `generator.<key> (VARIABLE): problem`. */
export function validateGeneratorConfig(c: GeneratorConfig): string[] {
  const e = new ConfigErrors(GENERATOR_ENV);
  const int = (key: string, v: number, min: number, max: number): void => e.number(`generator.${key}`, v, { integer: true, min, max });
  int('max_total_processes', c.max_total_processes, 1, 10_000_000);
  int('cardinality_limit', c.cardinality_limit, 2_001, 100_000_000);
  int('rotate_after_exited', c.rotate_after_exited, 1, 10_000_000);
  int('collect_timeout_ms', c.collect_timeout_ms, 1, 600_000);
  const d = c.default_load;
  int('default_load.hosts', d.hosts, 1, 10_000);
  int('default_load.processes_per_host', d.processes_per_host, 1, 100_000);
  int('default_load.seed', d.seed, 0, 4_294_967_295);
  e.number('generator.default_load.churn_rate', d.churn_rate, { min: 0, max: 1 });
  e.number('generator.default_load.export_interval_seconds', d.export_interval_seconds, { min: 0.1, max: 3600 });
  const load = d.hosts * d.processes_per_host;
  if (load > c.max_total_processes) {
    e.add('generator.max_total_processes', `must be at least generator.default_load.hosts x processes_per_host (${load}; got ${c.max_total_processes})`);
  }
  return e.messages;
}
