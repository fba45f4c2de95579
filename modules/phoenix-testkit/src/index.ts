export { waitFor } from './waitFor';
export { serviceMetricsProblems } from './serviceMetrics';
export { metricsCatalogProblems, promClientDefaults } from './metricsCatalogCheck';
export { type CorePortsEnv, CORE_PORT_VARIABLES, corePortsEnv } from './corePortsEnv';
export { leafKeys } from './configKeys';
export { packageOf, undeclaredImports } from './declaredImports';
export { type SpawnedService, spawnService } from './spawnService';
export {
  OTLP_PROTO_DIR,
  OTLP_TYPES,
  loadOtlpRoot,
  otlpType,
  DEFAULT_DECODE_OPTIONS,
  encodeMessage,
  decodeMessage,
  encodeExportRequest,
  decodeExportRequest,
  encodeExportResponse,
  decodeExportResponse,
  encodeStatus,
  decodeStatus,
} from './otlpProto';
export { type PrometheusBinary, findPrometheusBinary, requirePrometheusBinary, promtool, promtoolCheckMetrics } from './prometheus/binaries';
export { type ScrapeConfig, type PrometheusConfigOptions, buildPrometheusConfig } from './prometheus/config';
export { type PromSample, type PromTarget, type PrometheusQueries, prometheusQueries } from './prometheus/api';
export { type StartPrometheusOptions, type PrometheusHandle, startPrometheus } from './prometheus/startPrometheus';
export { type PostgresHandle, type StartPostgresOptions, postgresBinDirCandidates, findPostgresBinDir, requirePostgresBinDir, startPostgres } from './postgres';
export { type PushgatewayHandle, requirePushgatewayBinary, startPushgateway } from './pushgateway';
