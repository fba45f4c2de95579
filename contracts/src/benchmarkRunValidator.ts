import type { BenchmarkRun } from './generated';
import { createValidator } from './createValidator';

/** Validates one run (POST 202, GET and DELETE /api/v1/benchmarks/{id}): the list schema's definition BenchmarkRun. */
export const validateBenchmarkRun = createValidator<BenchmarkRun>({
  $id: 'https://phoenix.dev/contracts/validation_benchmark_run.ref.json',
  title: 'BenchmarkRun',
  $ref: 'validation_benchmark_list.schema.json#/definitions/BenchmarkRun',
});
