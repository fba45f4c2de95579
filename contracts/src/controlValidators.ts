import controlOverrideRequestSchema from '../schemas/control_override_request.schema.json';
import controlTargetRequestSchema from '../schemas/control_target_request.schema.json';
import controlStatusSchema from '../schemas/control_status.schema.json';
import controlHistorySchema from '../schemas/control_history.schema.json';
import controlErrorSchema from '../schemas/control_error.schema.json';
import controlHealthSchema from '../schemas/control_health.schema.json';
import { createValidator } from './createValidator';
import type { ControlOverrideRequest } from './generated/control_override_request';
import type { ControlTargetRequest } from './generated/control_target_request';
import type { ControlStatus } from './generated/control_status';
import type { ControlHistory } from './generated/control_history';
import type { ControlError } from './generated/control_error';
import type { ControlHealth } from './generated/control_health';

/** The JSON Schemas of the phoenix-control REST API (the OpenAPI document `openapi/control.openapi.yaml` references these files). */
export const controlSchemas = {
  controlOverrideRequest: controlOverrideRequestSchema as Record<string, unknown>,
  controlTargetRequest: controlTargetRequestSchema as Record<string, unknown>,
  controlStatus: controlStatusSchema as Record<string, unknown>,
  controlHistory: controlHistorySchema as Record<string, unknown>,
  controlError: controlErrorSchema as Record<string, unknown>,
  controlHealth: controlHealthSchema as Record<string, unknown>,
};

/** Validates the body of POST /api/v1/control. */
export const validateControlOverrideRequest = createValidator<ControlOverrideRequest>(controlSchemas.controlOverrideRequest);
/** Validates the body of PUT /api/v1/target. */
export const validateControlTargetRequest = createValidator<ControlTargetRequest>(controlSchemas.controlTargetRequest);
/** Validates a GET /api/v1/status body. */
export const validateControlStatus = createValidator<ControlStatus>(controlSchemas.controlStatus);
/** Validates a GET /api/v1/history body. */
export const validateControlHistory = createValidator<ControlHistory>(controlSchemas.controlHistory);
/** Validates an error body of the control API. */
export const validateControlError = createValidator<ControlError>(controlSchemas.controlError);
/** Validates a GET /health body of phoenix-control. */
export const validateControlHealth = createValidator<ControlHealth>(controlSchemas.controlHealth);
