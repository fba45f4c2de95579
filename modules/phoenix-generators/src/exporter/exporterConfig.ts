import { ConfigErrors, EnvReader, type Env } from '@phoenix/runtime';

/** OTLP transport of the SDK path (OTEL_EXPORTER_OTLP_PROTOCOL values). */
export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';

export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['grpc', 'http/protobuf', 'http/json'];

/** Where and how the simulated hosts export. */
export interface ExporterConfig {
  protocol: OtlpProtocol;
  /** The exporter URL: gRPC `http://host:port`; HTTP the full `.../v1/metrics`. */
  url: string;
  /** Per-request timeout (OTEL_EXPORTER_OTLP_TIMEOUT, milliseconds). */
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

/** Config key → variable; the signal-specific OTEL_EXPORTER_OTLP_METRICS_* variables win when set (see {@link exporterEnv}). */
export const EXPORTER_ENV: Readonly<Record<string, string>> = {
  'exporter.protocol': 'OTEL_EXPORTER_OTLP_PROTOCOL',
  'exporter.url': 'OTEL_EXPORTER_OTLP_ENDPOINT',
  'exporter.timeout_ms': 'OTEL_EXPORTER_OTLP_TIMEOUT',
  'exporter.max_concurrent_exports': 'PHOENIX_GENERATORS_EXPORT_CONCURRENCY',
};

/** The variables that set the exporter in `env`: the metrics-specific one where it is set. */
export function exporterEnv(env: Env): Record<string, string> {
  const set = (name: string): boolean => (env[name] ?? '').trim() !== '';
  return {
    ...EXPORTER_ENV,
    ...(set('OTEL_EXPORTER_OTLP_METRICS_PROTOCOL') ? { 'exporter.protocol': 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL' } : {}),
    ...(set('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT') ? { 'exporter.url': 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT' } : {}),
  };
}

/**
 * Reads the standard OpenTelemetry exporter variables: OTEL_EXPORTER_OTLP_(METRICS_)PROTOCOL
 * (grpc | http/protobuf | http/json, default grpc), OTEL_EXPORTER_OTLP_METRICS_ENDPOINT (used as is),
 * OTEL_EXPORTER_OTLP_ENDPOINT (base URL; HTTP appends /v1/metrics; default http://127.0.0.1:4317 for gRPC,
 * http://127.0.0.1:4318 for HTTP), OTEL_EXPORTER_OTLP_TIMEOUT (a bare number is milliseconds, as the
 * specification says; `10s` works too), plus PHOENIX_GENERATORS_EXPORT_CONCURRENCY.
 */
export function readExporterConfig(r: EnvReader): ExporterConfig {
  const protocolVar = r.str('OTEL_EXPORTER_OTLP_METRICS_PROTOCOL') !== undefined ? 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = r.oneOf(protocolVar, OTLP_PROTOCOLS, defaultExporterConfig.protocol);
  const isHttp = protocol !== 'grpc';
  const base = r.str('OTEL_EXPORTER_OTLP_ENDPOINT') ?? (isHttp ? 'http://127.0.0.1:4318' : 'http://127.0.0.1:4317');
  return {
    protocol,
    url: r.str('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT') ?? (isHttp ? `${base.replace(/\/+$/, '')}/v1/metrics` : base),
    timeout_ms: r.millis('OTEL_EXPORTER_OTLP_TIMEOUT', defaultExporterConfig.timeout_ms, 'ms'),
    max_concurrent_exports: r.int('PHOENIX_GENERATORS_EXPORT_CONCURRENCY', defaultExporterConfig.max_concurrent_exports),
  };
}

/** Problems with an exporter config, each `exporter.<key> (VARIABLE): problem`. */
export function validateExporterConfig(c: ExporterConfig, envOf: Readonly<Record<string, string>> = EXPORTER_ENV): string[] {
  const e = new ConfigErrors(envOf);
  e.oneOf('exporter.protocol', c.protocol, OTLP_PROTOCOLS);
  e.url('exporter.url', c.url);
  e.number('exporter.timeout_ms', c.timeout_ms, { integer: true, min: 1, max: 600_000 });
  e.number('exporter.max_concurrent_exports', c.max_concurrent_exports, { integer: true, min: 1, max: 1024 });
  return e.messages;
}

/** The exporter config of `env` and its problems (unreadable values, then values out of range), for the CLIs. */
export function loadExporterConfig(env: Env): { config: ExporterConfig; errors: string[] } {
  const r = new EnvReader(env);
  const config = readExporterConfig(r);
  return { config, errors: [...r.errors, ...validateExporterConfig(config, exporterEnv(env))] };
}
