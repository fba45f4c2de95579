import scenarioCatalogSchema from '../schemas/scenario_catalog.schema.json';
import benchmarkResultSchema from '../schemas/benchmark_result.schema.json';
import validationBenchmarkRequestSchema from '../schemas/validation_benchmark_request.schema.json';
import validationBenchmarkListSchema from '../schemas/validation_benchmark_list.schema.json';
import validationErrorSchema from '../schemas/validation_error.schema.json';
import validationHealthSchema from '../schemas/validation_health.schema.json';
import { createValidator } from './createValidator';
import type { ScenarioCatalog } from './generated/scenario_catalog';
import type { BenchmarkResult } from './generated/benchmark_result';
import type { ValidationBenchmarkRequest } from './generated/validation_benchmark_request';
import type { BenchmarkRun, ValidationBenchmarkList } from './generated/validation_benchmark_list';
import type { ValidationError } from './generated/validation_error';
import type { ValidationHealth } from './generated/validation_health';

/**
 * The JSON Schemas of phoenix-validation: the scenario catalog (YAML), the benchmark result, and the bodies of the
 * benchmark API (`openapi/validation.openapi.yaml` references these files).
 */
export const validationSchemas = {
  scenarioCatalog: scenarioCatalogSchema as Record<string, unknown>,
  benchmarkResult: benchmarkResultSchema as Record<string, unknown>,
  validationBenchmarkRequest: validationBenchmarkRequestSchema as Record<string, unknown>,
  validationBenchmarkList: validationBenchmarkListSchema as Record<string, unknown>,
  validationError: validationErrorSchema as Record<string, unknown>,
  validationHealth: validationHealthSchema as Record<string, unknown>,
};

/** Validates a scenario catalog (already parsed from YAML); also the body of GET /api/v1/scenarios. */
export const validateScenarioCatalog = createValidator<ScenarioCatalog>(validationSchemas.scenarioCatalog);
/** Validates a benchmark result (before it is stored, and the body of GET /api/v1/benchmarks/{id}/result). */
export const validateBenchmarkResult = createValidator<BenchmarkResult>(validationSchemas.benchmarkResult);
/** Validates the body of POST /api/v1/benchmarks. */
export const validateBenchmarkRequest = createValidator<ValidationBenchmarkRequest>(validationSchemas.validationBenchmarkRequest);
/** Validates a GET /api/v1/benchmarks body. */
export const validateBenchmarkList = createValidator<ValidationBenchmarkList>(validationSchemas.validationBenchmarkList);
/** Validates one run (POST 202, GET and DELETE /api/v1/benchmarks/{id}): the list schema's definition BenchmarkRun. */
export const validateBenchmarkRun = createValidator<BenchmarkRun>({
  $id: 'https://phoenix.dev/contracts/validation_benchmark_run.ref.json',
  title: 'BenchmarkRun',
  $ref: 'validation_benchmark_list.schema.json#/definitions/BenchmarkRun',
});
/** Validates an error body of the validation API. */
export const validateValidationError = createValidator<ValidationError>(validationSchemas.validationError);
/** Validates a GET /health body of phoenix-validation. */
export const validateValidationHealth = createValidator<ValidationHealth>(validationSchemas.validationHealth);
