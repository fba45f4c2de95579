export { type GeneratorsApiConfig, GENERATORS_API_ENV, GENERATORS_API_ENV_NAMES, defaultGeneratorsApiConfig, readGeneratorsApiConfig, validateGeneratorsApiConfig } from './api/generatorsApiConfig';
export { type ApiDeps, createApiApp } from './api/createApiApp';
export { type SdkCapacityStep, measureSdkCapacity } from './bench/measureSdkCapacity';
export { type CatalogEntry, PROCESS_CATALOG, executablesByClass } from './catalog/processCatalog';
export { type Random, createRandom } from './common/random';
export {
  type OtlpProtocol,
  type ExporterConfig,
  OTLP_PROTOCOLS,
  defaultExporterConfig,
  EXPORTER_ENV,
  exporterEnv,
  readExporterConfig,
  validateExporterConfig,
  loadExporterConfig,
} from './exporter/exporterConfig';
export { createMetricExporter } from './exporter/createMetricExporter';
export { type GeneratorDeps, Generator } from './generator/generator';
export { type TickReport } from './generator/tickReport';
export { type GeneratorConfig, DEFAULT_SEED, defaultGeneratorConfig, GENERATOR_ENV, readGeneratorConfig, validateGeneratorConfig } from './generator/generatorConfig';
export { LoadRejectedError } from './generator/loadRejectedError';
export { type ProcessMetricDefinition, PROCESS_METRICS, SERIES_PER_PROCESS, processAttributes } from './metrics/processMetrics';
export { defaultProfilesDir, loadProfilesDir, resolveProfile } from './profiles/loadProfiles';
export { type ScenarioPoint, phaseMultiplier, profileDuration, scenarioPointAt } from './profiles/scenarioSchedule';
export { type ReplayRequest, type ReplayLayout, encodeReplayRequests, stampRequest } from './replay/encodeReplayRequests';
export { type ReplayProtocol, type ReplayOptions, validateReplayOptions } from './replay/replayOptions';
export { type ReplayDeps, replayHttpUrl, runReplay } from './replay/runReplay';
export { type HostExportResult, type HostTelemetryOptions, HostTelemetry, countDataPoints } from './sdk/hostTelemetry';
export { type ServiceConfig, SERVICE_ENV, readServiceConfig, validateServiceConfig, loadServiceConfig } from './serviceConfig';
export { type GeneratorsServiceDeps, GeneratorsService } from './service';
export { type ProcessSnapshot, TOP_PROCESSES, topProcessesByCpu, buildHostTruth, snapshotProcesses, processList } from './truth/buildHostTruth';
export { type ChurnCounts, type StepChurn, hostNameFor, HostModel } from './workload/hostModel';
export { type SimProcess, CPU_QUANTA_PER_SECOND, cpuUserSeconds, cpuSystemSeconds } from './workload/simProcess';
export { type WorkloadConfig, defaultWorkloadConfig, WORKLOAD_ENV, readWorkloadConfig, validateWorkloadConfig } from './workload/workloadConfig';
