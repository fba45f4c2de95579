import agentHeartbeatSchema from '../schemas/agent_heartbeat.schema.json';
import agentHeartbeatResponseSchema from '../schemas/agent_heartbeat_response.schema.json';
import agentIngestResponseSchema from '../schemas/agent_ingest_response.schema.json';
import agentLogsBatchSchema from '../schemas/agent_logs_batch.schema.json';
import agentMetricsBatchSchema from '../schemas/agent_metrics_batch.schema.json';
import agentTaskSchema from '../schemas/agent_task.schema.json';
import agentTaskListSchema from '../schemas/agent_task_list.schema.json';
import agentTaskStatusSchema from '../schemas/agent_task_status.schema.json';
import apiAgentSchema from '../schemas/api_agent.schema.json';
import apiAgentListSchema from '../schemas/api_agent_list.schema.json';
import apiAgentLogsSchema from '../schemas/api_agent_logs.schema.json';
import apiErrorSchema from '../schemas/api_error.schema.json';
import apiFleetSchema from '../schemas/api_fleet.schema.json';
import apiFleetBudgetRequestSchema from '../schemas/api_fleet_budget_request.schema.json';
import apiHealthSchema from '../schemas/api_health.schema.json';
import apiHostDrainRequestSchema from '../schemas/api_host_drain_request.schema.json';
import apiHostPinRequestSchema from '../schemas/api_host_pin_request.schema.json';
import apiKeySchema from '../schemas/api_key.schema.json';
import apiKeyCreateRequestSchema from '../schemas/api_key_create_request.schema.json';
import apiKeyListSchema from '../schemas/api_key_list.schema.json';
import taskCollectDiagnosticsSchema from '../schemas/task_collect_diagnostics.schema.json';
import taskCreateRequestSchema from '../schemas/task_create_request.schema.json';
import taskDeployPipelineSchema from '../schemas/task_deploy_pipeline.schema.json';
import taskLoadSimulationSchema from '../schemas/task_load_simulation.schema.json';
import taskRemovePipelineSchema from '../schemas/task_remove_pipeline.schema.json';
import taskRestartCoreSchema from '../schemas/task_restart_core.schema.json';
import taskSetControlSchema from '../schemas/task_set_control.schema.json';
import { addSchemas, createValidator } from './createValidator';
import type { AgentHeartbeat } from './generated/agent_heartbeat';
import type { AgentHeartbeatResponse } from './generated/agent_heartbeat_response';
import type { AgentIngestResponse } from './generated/agent_ingest_response';
import type { AgentLogsBatch } from './generated/agent_logs_batch';
import type { AgentMetricsBatch } from './generated/agent_metrics_batch';
import type { AgentTask } from './generated/agent_task';
import type { AgentTaskList } from './generated/agent_task_list';
import type { AgentTaskStatus } from './generated/agent_task_status';
import type { ApiAgent } from './generated/api_agent';
import type { ApiAgentList } from './generated/api_agent_list';
import type { ApiAgentLogs } from './generated/api_agent_logs';
import type { ApiError } from './generated/api_error';
import type { ApiFleet } from './generated/api_fleet';
import type { ApiFleetBudgetRequest } from './generated/api_fleet_budget_request';
import type { ApiHealth } from './generated/api_health';
import type { ApiHostDrainRequest } from './generated/api_host_drain_request';
import type { ApiHostPinRequest } from './generated/api_host_pin_request';
import type { ApiKey } from './generated/api_key';
import type { ApiKeyCreateRequest } from './generated/api_key_create_request';
import type { ApiKeyList } from './generated/api_key_list';
import type { TaskCollectDiagnostics } from './generated/task_collect_diagnostics';
import type { TaskCreateRequest } from './generated/task_create_request';
import type { TaskDeployPipeline } from './generated/task_deploy_pipeline';
import type { TaskLoadSimulation } from './generated/task_load_simulation';
import type { TaskRemovePipeline } from './generated/task_remove_pipeline';
import type { TaskRestartCore } from './generated/task_restart_core';
import type { TaskSetControl } from './generated/task_set_control';

/** The JSON Schemas of phoenix-api and of its agent protocol (`openapi/api.openapi.yaml` references these files). */
export const fleetSchemas = {
  agentHeartbeat: agentHeartbeatSchema as Record<string, unknown>,
  agentHeartbeatResponse: agentHeartbeatResponseSchema as Record<string, unknown>,
  agentIngestResponse: agentIngestResponseSchema as Record<string, unknown>,
  agentLogsBatch: agentLogsBatchSchema as Record<string, unknown>,
  agentMetricsBatch: agentMetricsBatchSchema as Record<string, unknown>,
  agentTask: agentTaskSchema as Record<string, unknown>,
  agentTaskList: agentTaskListSchema as Record<string, unknown>,
  agentTaskStatus: agentTaskStatusSchema as Record<string, unknown>,
  apiAgent: apiAgentSchema as Record<string, unknown>,
  apiAgentList: apiAgentListSchema as Record<string, unknown>,
  apiAgentLogs: apiAgentLogsSchema as Record<string, unknown>,
  apiError: apiErrorSchema as Record<string, unknown>,
  apiFleet: apiFleetSchema as Record<string, unknown>,
  apiFleetBudgetRequest: apiFleetBudgetRequestSchema as Record<string, unknown>,
  apiHealth: apiHealthSchema as Record<string, unknown>,
  apiHostDrainRequest: apiHostDrainRequestSchema as Record<string, unknown>,
  apiHostPinRequest: apiHostPinRequestSchema as Record<string, unknown>,
  apiKey: apiKeySchema as Record<string, unknown>,
  apiKeyCreateRequest: apiKeyCreateRequestSchema as Record<string, unknown>,
  apiKeyList: apiKeyListSchema as Record<string, unknown>,
  taskCollectDiagnostics: taskCollectDiagnosticsSchema as Record<string, unknown>,
  taskCreateRequest: taskCreateRequestSchema as Record<string, unknown>,
  taskDeployPipeline: taskDeployPipelineSchema as Record<string, unknown>,
  taskLoadSimulation: taskLoadSimulationSchema as Record<string, unknown>,
  taskRemovePipeline: taskRemovePipelineSchema as Record<string, unknown>,
  taskRestartCore: taskRestartCoreSchema as Record<string, unknown>,
  taskSetControl: taskSetControlSchema as Record<string, unknown>,
};

addSchemas(Object.values(fleetSchemas));

/** Validates a AgentHeartbeat (contracts/schemas/agent_heartbeat.schema.json). */
export const validateAgentHeartbeat = createValidator<AgentHeartbeat>(fleetSchemas.agentHeartbeat);
/** Validates a AgentHeartbeatResponse (contracts/schemas/agent_heartbeat_response.schema.json). */
export const validateAgentHeartbeatResponse = createValidator<AgentHeartbeatResponse>(fleetSchemas.agentHeartbeatResponse);
/** Validates a AgentIngestResponse (contracts/schemas/agent_ingest_response.schema.json). */
export const validateAgentIngestResponse = createValidator<AgentIngestResponse>(fleetSchemas.agentIngestResponse);
/** Validates a AgentLogsBatch (contracts/schemas/agent_logs_batch.schema.json). */
export const validateAgentLogsBatch = createValidator<AgentLogsBatch>(fleetSchemas.agentLogsBatch);
/** Validates a AgentMetricsBatch (contracts/schemas/agent_metrics_batch.schema.json). */
export const validateAgentMetricsBatch = createValidator<AgentMetricsBatch>(fleetSchemas.agentMetricsBatch);
/** Validates a AgentTask (contracts/schemas/agent_task.schema.json). */
export const validateAgentTask = createValidator<AgentTask>(fleetSchemas.agentTask);
/** Validates a AgentTaskList (contracts/schemas/agent_task_list.schema.json). */
export const validateAgentTaskList = createValidator<AgentTaskList>(fleetSchemas.agentTaskList);
/** Validates a AgentTaskStatus (contracts/schemas/agent_task_status.schema.json). */
export const validateAgentTaskStatus = createValidator<AgentTaskStatus>(fleetSchemas.agentTaskStatus);
/** Validates a ApiAgent (contracts/schemas/api_agent.schema.json). */
export const validateApiAgent = createValidator<ApiAgent>(fleetSchemas.apiAgent);
/** Validates a ApiAgentList (contracts/schemas/api_agent_list.schema.json). */
export const validateApiAgentList = createValidator<ApiAgentList>(fleetSchemas.apiAgentList);
/** Validates a ApiAgentLogs (contracts/schemas/api_agent_logs.schema.json). */
export const validateApiAgentLogs = createValidator<ApiAgentLogs>(fleetSchemas.apiAgentLogs);
/** Validates a ApiError (contracts/schemas/api_error.schema.json). */
export const validateApiError = createValidator<ApiError>(fleetSchemas.apiError);
/** Validates a ApiFleet (contracts/schemas/api_fleet.schema.json). */
export const validateApiFleet = createValidator<ApiFleet>(fleetSchemas.apiFleet);
/** Validates a ApiFleetBudgetRequest (contracts/schemas/api_fleet_budget_request.schema.json). */
export const validateApiFleetBudgetRequest = createValidator<ApiFleetBudgetRequest>(fleetSchemas.apiFleetBudgetRequest);
/** Validates a ApiHealth (contracts/schemas/api_health.schema.json). */
export const validateApiHealth = createValidator<ApiHealth>(fleetSchemas.apiHealth);
/** Validates a ApiHostDrainRequest (contracts/schemas/api_host_drain_request.schema.json). */
export const validateApiHostDrainRequest = createValidator<ApiHostDrainRequest>(fleetSchemas.apiHostDrainRequest);
/** Validates a ApiHostPinRequest (contracts/schemas/api_host_pin_request.schema.json). */
export const validateApiHostPinRequest = createValidator<ApiHostPinRequest>(fleetSchemas.apiHostPinRequest);
/** Validates a ApiKey (contracts/schemas/api_key.schema.json). */
export const validateApiKey = createValidator<ApiKey>(fleetSchemas.apiKey);
/** Validates a ApiKeyCreateRequest (contracts/schemas/api_key_create_request.schema.json). */
export const validateApiKeyCreateRequest = createValidator<ApiKeyCreateRequest>(fleetSchemas.apiKeyCreateRequest);
/** Validates a ApiKeyList (contracts/schemas/api_key_list.schema.json). */
export const validateApiKeyList = createValidator<ApiKeyList>(fleetSchemas.apiKeyList);
/** Validates a TaskCollectDiagnostics (contracts/schemas/task_collect_diagnostics.schema.json). */
export const validateTaskCollectDiagnostics = createValidator<TaskCollectDiagnostics>(fleetSchemas.taskCollectDiagnostics);
/** Validates a TaskCreateRequest (contracts/schemas/task_create_request.schema.json). */
export const validateTaskCreateRequest = createValidator<TaskCreateRequest>(fleetSchemas.taskCreateRequest);
/** Validates a TaskDeployPipeline (contracts/schemas/task_deploy_pipeline.schema.json). */
export const validateTaskDeployPipeline = createValidator<TaskDeployPipeline>(fleetSchemas.taskDeployPipeline);
/** Validates a TaskLoadSimulation (contracts/schemas/task_load_simulation.schema.json). */
export const validateTaskLoadSimulation = createValidator<TaskLoadSimulation>(fleetSchemas.taskLoadSimulation);
/** Validates a TaskRemovePipeline (contracts/schemas/task_remove_pipeline.schema.json). */
export const validateTaskRemovePipeline = createValidator<TaskRemovePipeline>(fleetSchemas.taskRemovePipeline);
/** Validates a TaskRestartCore (contracts/schemas/task_restart_core.schema.json). */
export const validateTaskRestartCore = createValidator<TaskRestartCore>(fleetSchemas.taskRestartCore);
/** Validates a TaskSetControl (contracts/schemas/task_set_control.schema.json). */
export const validateTaskSetControl = createValidator<TaskSetControl>(fleetSchemas.taskSetControl);
