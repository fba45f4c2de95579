import { apiConfigFromEnv, validateApiConfig, type ApiConfig } from './api/apiConfig';
import { isLogLevel, type LogLevel } from '@phoenix/runtime';
import { exporterConfigFromEnv, validateExporterConfig, type ExporterConfig } from './exporter/exporterConfig';
import { defaultGeneratorConfig, validateGeneratorConfig, type GeneratorConfig } from './generator/generatorConfig';
import { defaultProfilesDir } from './profiles/loadProfiles';
import { defaultWorkloadConfig, validateWorkloadConfig, type WorkloadConfig } from './workload/workloadConfig';

/** Everything the phoenix-generators service reads from its environment. */
export interface ServiceConfig {
  api: ApiConfig;
  exporter: ExporterConfig;
  workload: WorkloadConfig;
  generator: GeneratorConfig;
  /** PHOENIX_GENERATORS_PROFILES_DIR. */
  profiles_dir: string;
  /** PHOENIX_GENERATORS_SCENARIO: a scenario to start at boot (default: idle until told). */
  autostart_scenario: string | undefined;
  /** PHOENIX_LOG_LEVEL. */
  log_level: LogLevel;
}

/** Builds the service config from environment variables (see README). */
export function serviceConfigFromEnv(env: NodeJS.ProcessEnv): ServiceConfig {
  const num = (v: string | undefined, d: number): number => (v === undefined || v.trim() === '' ? d : Number(v));
  const seed = num(env.PHOENIX_GENERATORS_SEED, defaultGeneratorConfig.default_load.seed);
  return {
    api: apiConfigFromEnv(env),
    exporter: exporterConfigFromEnv(env),
    workload: {
      ...defaultWorkloadConfig,
      host_name_prefix: env.PHOENIX_GENERATORS_HOST_PREFIX?.trim() || defaultWorkloadConfig.host_name_prefix,
      service_name: env.PHOENIX_GENERATORS_SERVICE_NAME?.trim() || defaultWorkloadConfig.service_name,
    },
    generator: {
      ...defaultGeneratorConfig,
      default_load: { ...defaultGeneratorConfig.default_load, seed },
      max_total_processes: num(env.PHOENIX_GENERATORS_MAX_PROCESSES, defaultGeneratorConfig.max_total_processes),
    },
    profiles_dir: env.PHOENIX_GENERATORS_PROFILES_DIR?.trim() || defaultProfilesDir(),
    autostart_scenario: env.PHOENIX_GENERATORS_SCENARIO?.trim() || undefined,
    log_level: (env.PHOENIX_LOG_LEVEL?.trim() || 'info') as LogLevel,
  };
}

/** Problems with the service config, each naming the key. */
export function validateServiceConfig(c: ServiceConfig): string[] {
  const errors = [
    ...validateApiConfig(c.api),
    ...validateExporterConfig(c.exporter),
    ...validateWorkloadConfig(c.workload),
    ...validateGeneratorConfig(c.generator),
  ];
  if (!isLogLevel(c.log_level)) errors.push(`log_level: must be one of debug, info, warn, error (got ${JSON.stringify(c.log_level)}; env PHOENIX_LOG_LEVEL)`);
  return errors;
}
