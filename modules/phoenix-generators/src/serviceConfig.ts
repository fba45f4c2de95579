import { ConfigErrors, EnvReader, LOG_LEVELS, type Env, type LogLevel } from '@phoenix/runtime';
import { GENERATORS_API_ENV, readGeneratorsApiConfig, validateGeneratorsApiConfig, type GeneratorsApiConfig } from './api/generatorsApiConfig';
import { exporterEnv, readExporterConfig, validateExporterConfig, type ExporterConfig } from './exporter/exporterConfig';
import { GENERATOR_ENV, readGeneratorConfig, validateGeneratorConfig, type GeneratorConfig } from './generator/generatorConfig';
import { defaultProfilesDir } from './profiles/loadProfiles';
import { readWorkloadConfig, validateWorkloadConfig, WORKLOAD_ENV, type WorkloadConfig } from './workload/workloadConfig';

/** Everything the phoenix-generators service reads from its environment, one section per component. */
export interface ServiceConfig {
  api: GeneratorsApiConfig;
  exporter: ExporterConfig;
  workload: WorkloadConfig;
  generator: GeneratorConfig;
  /** PHOENIX_GENERATORS_PROFILES_DIR. */
  profilesDir: string;
  /** PHOENIX_GENERATORS_SCENARIO: a scenario to start at boot (default: idle until told). */
  autostartScenario: string | undefined;
  /** PHOENIX_LOG_LEVEL. */
  logLevel: LogLevel;
}

/** Config key → the environment variable that sets it (error messages and the README). */
export const SERVICE_ENV: Readonly<Record<string, string>> = {
  profilesDir: 'PHOENIX_GENERATORS_PROFILES_DIR',
  autostartScenario: 'PHOENIX_GENERATORS_SCENARIO',
  logLevel: 'PHOENIX_LOG_LEVEL',
  ...GENERATORS_API_ENV,
  ...GENERATOR_ENV,
  ...WORKLOAD_ENV,
};

/** Reads the service config (variables in the README) with one EnvReader; unreadable values keep their default. */
export function readServiceConfig(r: EnvReader): ServiceConfig {
  return {
    api: readGeneratorsApiConfig(r),
    exporter: readExporterConfig(r),
    workload: readWorkloadConfig(r),
    generator: readGeneratorConfig(r),
    profilesDir: r.str('PHOENIX_GENERATORS_PROFILES_DIR') ?? defaultProfilesDir(),
    autostartScenario: r.str('PHOENIX_GENERATORS_SCENARIO'),
    logLevel: r.oneOf('PHOENIX_LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}

/** Problems with the service config, each `key (VARIABLE): problem`; `env` says which exporter variables were used. */
export function validateServiceConfig(c: ServiceConfig, env: Env = {}): string[] {
  const e = new ConfigErrors(SERVICE_ENV);
  e.nonEmpty('profilesDir', c.profilesDir);
  e.oneOf('logLevel', c.logLevel, LOG_LEVELS);
  return [
    ...validateGeneratorsApiConfig(c.api),
    ...validateExporterConfig(c.exporter, exporterEnv(env)),
    ...validateWorkloadConfig(c.workload),
    ...validateGeneratorConfig(c.generator),
    ...e.messages,
  ];
}

/**
 * The config of the service main (`runService`): the values read from `env`, and every problem: values
 * that do not parse (`VARIABLE: problem`, the default is kept) and values out of range (`key (VARIABLE): problem`).
 */
export function loadServiceConfig(env: Env): { config: ServiceConfig; errors: string[] } {
  const r = new EnvReader(env);
  const config = readServiceConfig(r);
  return { config, errors: [...r.errors, ...validateServiceConfig(config, env)] };
}
