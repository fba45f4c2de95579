export { type AgentConfig, ENV, loadConfig, validateConfig, packageFile } from './config';
export { AgentService, type AgentServiceDeps } from './service';
export { AGENT_NODE_FLAGS } from './nodeFlags';
export { AGENT_VERSION } from './version';
export { ApiClient, ApiCallError, type ApiFailure, type ApiConnectionState } from './api/client';
export { type ApiClientConfig, defaultApiClientConfig, validateApiClientConfig } from './api/config';
export { superviseChild, type SupervisedChild, type ChildSpec, type ChildStatus, type SupervisorOptions } from './core/childProcess';
export { readCore, OBSERVATORY_METRICS, type CoreReading } from './core/kpiSample';
export { MetricsRegistry, Metric } from './telemetry/metrics';
