/** OTLP transport of the SDK path (OTEL_EXPORTER_OTLP_PROTOCOL values). */
export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';

const PROTOCOLS: readonly OtlpProtocol[] = ['grpc', 'http/protobuf', 'http/json'];

/** Where and how the simulated hosts export. */
export interface ExporterConfig {
  protocol: OtlpProtocol;
  /** The exporter URL: gRPC `http://host:port`; HTTP the full `.../v1/metrics`. */
  url: string;
  /** Per-request timeout (OTEL_EXPORTER_OTLP_TIMEOUT). */
  timeout_ms: number;
  /** Hosts exporting at the same time (PHOENIX_GENERATORS_EXPORT_CONCURRENCY). */
  max_concurrent_exports: number;
}

/** Defaults: gRPC to the local core. */
export const defaultExporterConfig: ExporterConfig = {
  protocol: 'grpc',
  url: 'http://127.0.0.1:4317',
  timeout_ms: 10_000,
  max_concurrent_exports: 8,
};

function isProtocol(v: string): v is OtlpProtocol {
  return (PROTOCOLS as readonly string[]).includes(v);
}

/**
 * Reads the standard OpenTelemetry exporter variables: OTEL_EXPORTER_OTLP_(METRICS_)PROTOCOL
 * (grpc | http/protobuf | http/json, default grpc), OTEL_EXPORTER_OTLP_METRICS_ENDPOINT (used as is),
 * OTEL_EXPORTER_OTLP_ENDPOINT (base URL; HTTP appends /v1/metrics; default http://127.0.0.1:4317 for gRPC,
 * http://127.0.0.1:4318 for HTTP), OTEL_EXPORTER_OTLP_TIMEOUT (ms), plus PHOENIX_GENERATORS_EXPORT_CONCURRENCY.
 * Unknown protocols are kept as given so validateExporterConfig can name them.
 */
export function exporterConfigFromEnv(env: NodeJS.ProcessEnv): ExporterConfig {
  const protocol = (env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'grpc').trim() as OtlpProtocol;
  const isHttp = protocol !== 'grpc';
  let url: string;
  if (env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) {
    url = env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT.trim();
  } else {
    const base = (env.OTEL_EXPORTER_OTLP_ENDPOINT ?? (isHttp ? 'http://127.0.0.1:4318' : 'http://127.0.0.1:4317')).trim();
    url = isHttp ? `${base.replace(/\/+$/, '')}/v1/metrics` : base;
  }
  return {
    protocol,
    url,
    timeout_ms: env.OTEL_EXPORTER_OTLP_TIMEOUT ? Number(env.OTEL_EXPORTER_OTLP_TIMEOUT) : defaultExporterConfig.timeout_ms,
    max_concurrent_exports: env.PHOENIX_GENERATORS_EXPORT_CONCURRENCY
      ? Number(env.PHOENIX_GENERATORS_EXPORT_CONCURRENCY)
      : defaultExporterConfig.max_concurrent_exports,
  };
}

/** Problems with an exporter config, each naming the key. */
export function validateExporterConfig(c: ExporterConfig): string[] {
  const errors: string[] = [];
  if (!isProtocol(c.protocol)) {
    errors.push(`exporter.protocol: must be one of ${PROTOCOLS.join(', ')} (got ${JSON.stringify(c.protocol)}; env OTEL_EXPORTER_OTLP_PROTOCOL)`);
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(c.url);
  } catch {
    errors.push(`exporter.url: not a URL (got ${JSON.stringify(c.url)}; env OTEL_EXPORTER_OTLP_ENDPOINT)`);
  }
  if (parsed && parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    errors.push(`exporter.url: must be http:// or https:// (got ${JSON.stringify(c.url)})`);
  }
  if (!Number.isInteger(c.timeout_ms) || c.timeout_ms < 1 || c.timeout_ms > 600_000) {
    errors.push(`exporter.timeout_ms: must be an integer in 1..600000 (got ${String(c.timeout_ms)}; env OTEL_EXPORTER_OTLP_TIMEOUT)`);
  }
  if (!Number.isInteger(c.max_concurrent_exports) || c.max_concurrent_exports < 1 || c.max_concurrent_exports > 1024) {
    errors.push(
      `exporter.max_concurrent_exports: must be an integer in 1..1024 (got ${String(c.max_concurrent_exports)}; env PHOENIX_GENERATORS_EXPORT_CONCURRENCY)`,
    );
  }
  return errors;
}
