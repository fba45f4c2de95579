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
  /** Prefix of the simulated host names (`<prefix>-0001`). */
  host_name_prefix: string;
  /** Resource attribute service.name of every simulated host. */
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

/** Problems with a workload config, each naming the key. */
export function validateWorkloadConfig(c: WorkloadConfig): string[] {
  const errors: string[] = [];
  const finite = (key: keyof WorkloadConfig, min: number, max: number, exclusiveMin = false): void => {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || (exclusiveMin ? v <= min : v < min) || v > max) {
      errors.push(`workload.${key}: must be a number ${exclusiveMin ? '>' : '>='} ${min} and <= ${max} (got ${String(v)})`);
    }
  };
  finite('cpu_pareto_alpha', 1, 10, true);
  finite('cpu_min_cores', 0, 1, true);
  finite('cpu_max_cores', 0, 1024, true);
  finite('cpu_noise_sigma', 0, 3);
  finite('churn_exit_share', 0, 1);
  finite('churn_restart_share', 0, 1);
  finite('churn_reset_share', 0, 1);
  finite('leak_fraction_per_hour', 0, 10);
  if (c.churn_exit_share + c.churn_restart_share + c.churn_reset_share <= 0) {
    errors.push('workload.churn_exit_share: churn_exit_share + churn_restart_share + churn_reset_share must be > 0');
  }
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(c.host_name_prefix)) {
    errors.push(`workload.host_name_prefix: must be lowercase letters, digits and dashes (got ${JSON.stringify(c.host_name_prefix)})`);
  }
  if (c.service_name.length === 0 || c.service_name.length > 255) {
    errors.push('workload.service_name: must be 1 to 255 characters');
  }
  return errors;
}
