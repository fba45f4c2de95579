import loadProfileSchema from '../schemas/load_profile.schema.json';
import generatorsLoadSettingsSchema from '../schemas/generators_load_settings.schema.json';
import generatorsLoadStatusSchema from '../schemas/generators_load_status.schema.json';
import generatorsScenarioStartSchema from '../schemas/generators_scenario_start.schema.json';
import generatorsScenarioListSchema from '../schemas/generators_scenario_list.schema.json';
import generatorsTruthSchema from '../schemas/generators_truth.schema.json';
import generatorsErrorSchema from '../schemas/generators_error.schema.json';
import generatorsHealthSchema from '../schemas/generators_health.schema.json';
import generatorsReplayReportSchema from '../schemas/generators_replay_report.schema.json';
import { createValidator } from './createValidator';
import type { LoadProfile } from './generated/load_profile';
import type { GeneratorsLoadSettings } from './generated/generators_load_settings';
import type { GeneratorsLoadStatus } from './generated/generators_load_status';
import type { GeneratorsScenarioStart } from './generated/generators_scenario_start';
import type { GeneratorsScenarioList } from './generated/generators_scenario_list';
import type { GeneratorsTruth } from './generated/generators_truth';
import type { GeneratorsError } from './generated/generators_error';
import type { GeneratorsHealth } from './generated/generators_health';
import type { GeneratorsReplayReport } from './generated/generators_replay_report';

/**
 * The JSON Schemas of phoenix-generators: load profiles (YAML files), the load-control REST API
 * (`openapi/generators.openapi.yaml` references these files) and the replay loader's report.
 */
export const generatorsSchemas = {
  loadProfile: loadProfileSchema as Record<string, unknown>,
  generatorsLoadSettings: generatorsLoadSettingsSchema as Record<string, unknown>,
  generatorsLoadStatus: generatorsLoadStatusSchema as Record<string, unknown>,
  generatorsScenarioStart: generatorsScenarioStartSchema as Record<string, unknown>,
  generatorsScenarioList: generatorsScenarioListSchema as Record<string, unknown>,
  generatorsTruth: generatorsTruthSchema as Record<string, unknown>,
  generatorsError: generatorsErrorSchema as Record<string, unknown>,
  generatorsHealth: generatorsHealthSchema as Record<string, unknown>,
  generatorsReplayReport: generatorsReplayReportSchema as Record<string, unknown>,
};

/** Validates a load profile (already parsed from YAML). */
export const validateLoadProfile = createValidator<LoadProfile>(generatorsSchemas.loadProfile);
/** Validates the body of PUT /api/v1/load. */
export const validateGeneratorsLoadSettings = createValidator<GeneratorsLoadSettings>(generatorsSchemas.generatorsLoadSettings);
/** Validates a GET /api/v1/load body. */
export const validateGeneratorsLoadStatus = createValidator<GeneratorsLoadStatus>(generatorsSchemas.generatorsLoadStatus);
/** Validates the (optional) body of POST /api/v1/scenarios/{name}/start. */
export const validateGeneratorsScenarioStart = createValidator<GeneratorsScenarioStart>(generatorsSchemas.generatorsScenarioStart);
/** Validates a GET /api/v1/scenarios body. */
export const validateGeneratorsScenarioList = createValidator<GeneratorsScenarioList>(generatorsSchemas.generatorsScenarioList);
/** Validates a GET /api/v1/truth body. */
export const validateGeneratorsTruth = createValidator<GeneratorsTruth>(generatorsSchemas.generatorsTruth);
/** Validates an error body of the generators API. */
export const validateGeneratorsError = createValidator<GeneratorsError>(generatorsSchemas.generatorsError);
/** Validates a GET /health body of phoenix-generators. */
export const validateGeneratorsHealth = createValidator<GeneratorsHealth>(generatorsSchemas.generatorsHealth);
/** Validates a replay-loader report. */
export const validateGeneratorsReplayReport = createValidator<GeneratorsReplayReport>(generatorsSchemas.generatorsReplayReport);
