import type { GeneratorsEffectiveLoad } from '@phoenix/contracts';

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

/** Problems with a generator config, each naming the key. */
export function validateGeneratorConfig(c: GeneratorConfig): string[] {
  const errors: string[] = [];
  const int = (key: string, v: number, min: number, max: number): void => {
    if (!Number.isInteger(v) || v < min || v > max) errors.push(`generator.${key}: must be an integer in ${min}..${max} (got ${String(v)})`);
  };
  int('max_total_processes', c.max_total_processes, 1, 10_000_000);
  int('cardinality_limit', c.cardinality_limit, 2_001, 100_000_000);
  int('rotate_after_exited', c.rotate_after_exited, 1, 10_000_000);
  int('collect_timeout_ms', c.collect_timeout_ms, 1, 600_000);
  const d = c.default_load;
  int('default_load.hosts', d.hosts, 1, 10_000);
  int('default_load.processes_per_host', d.processes_per_host, 1, 100_000);
  int('default_load.seed', d.seed, 0, 4_294_967_295);
  if (!(d.churn_rate >= 0 && d.churn_rate <= 1)) errors.push(`generator.default_load.churn_rate: must be in 0..1 (got ${d.churn_rate})`);
  if (!(d.export_interval_seconds >= 0.1 && d.export_interval_seconds <= 3600)) {
    errors.push(`generator.default_load.export_interval_seconds: must be in 0.1..3600 (got ${d.export_interval_seconds})`);
  }
  if (d.hosts * d.processes_per_host > c.max_total_processes) {
    errors.push('generator.default_load.hosts: hosts x processes_per_host exceeds generator.max_total_processes');
  }
  return errors;
}
