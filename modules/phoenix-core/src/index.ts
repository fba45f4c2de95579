export { type CoreConfig, type CorePorts, DEFAULT_PORTS, PORT_ENV, CORE_ENV, defaultCoreConfig, validateCoreConfig, coreConfigFromEnv } from './config/coreConfig';
export { type CoreDeps, CoreService } from './service/coreService';
export { type ShardedCoreDeps, ShardedCoreService } from './service/shardedCoreService';
export { type IngestResult, type PointRejectReason, type MetricsConsumer, type OtlpSink } from './consumer/metricsConsumer';
export {
  type Attr,
  type NumberPoint,
  type HistogramPoint,
  type ExpBuckets,
  type ExpHistogramPoint,
  type SummaryPoint,
  type DecodedMetric,
  type DecodedScopeMetrics,
  type DecodedResourceMetrics,
  type DecodedRequest,
  countPoints,
  OtlpDecodeError,
} from './otlp/model';
export { decodeProtobufRequest } from './otlp/decodeProtobufRequest';
export { decodeJsonRequest } from './otlp/decodeJsonRequest';
export { SeriesStore } from './store/seriesStore';
export { type SeriesStoreConfig, defaultSeriesStoreConfig, validateSeriesStoreConfig } from './store/seriesStoreConfig';
export { type ListenerPlace, type PipelineErrorCount } from './store/storeListeners';
export { renderStore } from './store/renderStore';
export { type PromType, promMetricName, promLabelName } from './store/naming';
export { ExpositionWriter } from './exporter/expositionWriter';
export { CORE_NODE_FLAGS } from './nodeFlags';
