import { ConfigErrors, type EnvReader } from '@phoenix/runtime';

/** Tunables of the workload model (how the simulated processes behave). */
export interface WorkloadConfig {
  /** Shape of the Pareto distribution of a process's base CPU rate; smaller is heavier-tailed (> 1). */
  cpu_pareto_alpha: number;
  /** Scale (minimum) of that distribution, in cores, before the executable's cpuScale. */
  cpu_min_cores: number;
  /** Cap of one process's CPU rate, in cores. */
  cpu_max_cores: number;
  /** Log-space standard deviation of the per-interval CPU noise around the base rate. */
  cpu_noise_sigma: number;
  /** Shares of the three churn kinds (normalised): exit (replaced by a new process), restart with a new PID, reset in place. */
  churn_exit_share: number;
  churn_restart_share: number;
  churn_reset_share: number;
  /** Memory growth of a leaking process, as a fraction of its base memory per hour. */
  leak_fraction_per_hour: number;
  /** Prefix of the simulated host names (`<prefix>-0001`; PHOENIX_GENERATORS_HOST_PREFIX). */
  host_name_prefix: string;
  /** Resource attribute service.name of every simulated host (PHOENIX_GENERATORS_SERVICE_NAME). */
  service_name: string;
}

/** The defaults (the heavy-tail test holds for these with the default seed). */
export const defaultWorkloadConfig: WorkloadConfig = {
  cpu_pareto_alpha: 1.1,
  cpu_min_cores: 0.003,
  cpu_max_cores: 8,
  cpu_noise_sigma: 0.25,
  churn_exit_share: 0.5,
  churn_restart_share: 0.35,
  churn_reset_share: 0.15,
  leak_fraction_per_hour: 0.05,
  host_name_prefix: 'sim-host',
  service_name: 'phoenix-generators',
};

/** Config key → variable (the model's tunables are set only in code). */
export const WORKLOAD_ENV: Readonly<Record<string, string>> = {
  'workload.host_name_prefix': 'PHOENIX_GENERATORS_HOST_PREFIX',
  'workload.service_name': 'PHOENIX_GENERATORS_SERVICE_NAME',
};

/** Reads PHOENIX_GENERATORS_HOST_PREFIX and PHOENIX_GENERATORS_SERVICE_NAME over the defaults. */
export function readWorkloadConfig(r: EnvReader): WorkloadConfig {
  const d = defaultWorkloadConfig;
  return {
    ...d,
    host_name_prefix: r.str('PHOENIX_GENERATORS_HOST_PREFIX') ?? d.host_name_prefix,
    service_name: r.str('PHOENIX_GENERATORS_SERVICE_NAME') ?? d.service_name,
  };
}

/** Problems with a workload config, each `workload.<key> (VARIABLE): problem`. */
export function validateWorkloadConfig(c: WorkloadConfig): string[] {
  const e = new ConfigErrors(WORKLOAD_ENV);
  e.number('workload.cpu_pareto_alpha', c.cpu_pareto_alpha, { min: 1, exclusiveMin: true, max: 10 });
  e.number('workload.cpu_min_cores', c.cpu_min_cores, { min: 0, exclusiveMin: true, max: 1 });
  e.number('workload.cpu_max_cores', c.cpu_max_cores, { min: 0, exclusiveMin: true, max: 1024 });
  e.number('workload.cpu_noise_sigma', c.cpu_noise_sigma, { min: 0, max: 3 });
  e.number('workload.churn_exit_share', c.churn_exit_share, { min: 0, max: 1 });
  e.number('workload.churn_restart_share', c.churn_restart_share, { min: 0, max: 1 });
  e.number('workload.churn_reset_share', c.churn_reset_share, { min: 0, max: 1 });
  e.number('workload.leak_fraction_per_hour', c.leak_fraction_per_hour, { min: 0, max: 10 });
  if (c.churn_exit_share + c.churn_restart_share + c.churn_reset_share <= 0) {
    e.add('workload.churn_exit_share', 'churn_exit_share + churn_restart_share + churn_reset_share must be > 0');
  }
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(c.host_name_prefix)) {
    e.add('workload.host_name_prefix', `must be lowercase letters, digits and dashes, 1 to 63 characters (got ${JSON.stringify(c.host_name_prefix)})`);
  }
  if (c.service_name.length === 0 || c.service_name.length > 255) e.add('workload.service_name', `must be 1 to 255 characters (got ${c.service_name.length})`);
  return e.messages;
}
