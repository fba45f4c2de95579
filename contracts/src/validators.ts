import optimizationModeSchema from '../schemas/optimization_mode.schema.json';
import priorityRulesSchema from '../schemas/priority_rules.schema.json';
import { createValidator } from './createValidator';
import type { OptimizationMode, PriorityRules } from './generated';

export const schemas = {
  optimizationMode: optimizationModeSchema as Record<string, unknown>,
  priorityRules: priorityRulesSchema as Record<string, unknown>,
};

/** Validates an `optimization_mode.yaml` document (already parsed from YAML). */
export const validateOptimizationMode = createValidator<OptimizationMode>(schemas.optimizationMode);

/** Validates a priority-rules document (already parsed from YAML). */
export const validatePriorityRules = createValidator<PriorityRules>(schemas.priorityRules);
