import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as JsonMetricExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { ExporterConfig } from './exporterConfig';

/**
 * The OpenTelemetry OTLP metric exporter for the configured protocol, with cumulative temporality.
 * One exporter is shared by all simulated hosts (one connection); each host's reader passes it that
 * host's ResourceMetrics, so every export request carries exactly one resource.
 */
export function createMetricExporter(c: ExporterConfig): PushMetricExporter {
  const common = {
    url: c.url,
    timeoutMillis: c.timeout_ms,
    // The generator bounds concurrency itself; leave the exporter room for it.
    concurrencyLimit: Math.max(30, c.max_concurrent_exports * 2),
    temporalityPreference: AggregationTemporalityPreference.CUMULATIVE,
  };
  switch (c.protocol) {
    case 'grpc':
      return new GrpcMetricExporter(common);
    case 'http/protobuf':
      return new ProtoMetricExporter(common);
    case 'http/json':
      return new JsonMetricExporter(common);
  }
}
