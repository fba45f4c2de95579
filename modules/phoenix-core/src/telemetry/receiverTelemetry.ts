import { Counter, Histogram, type Registry } from 'prom-client';
import type { IngestResult } from '../consumer/metricsConsumer';

export type Protocol = 'grpc' | 'http';
export type Encoding = 'protobuf' | 'json' | 'unknown';
export type RequestRejectReason =
  | 'invalid_protobuf'
  | 'invalid_json'
  | 'unsupported_media_type'
  | 'too_large'
  | 'invalid_encoding'
  | 'not_found'
  | 'method_not_allowed'
  /** the core could not take the request now (a shard failed or is stopping): retryable */
  | 'unavailable'
  /** an unexpected error inside the core, not caused by the request: retryable */
  | 'internal';

/** The receivers' self-telemetry on the observatory registry (names: contracts/metrics/observatory.md). */
export class ReceiverTelemetry {
  private readonly requests: Counter<'protocol' | 'encoding' | 'outcome'>;
  private readonly points: Counter<'protocol' | 'outcome'>;
  private readonly rejections: Counter<'protocol' | 'reason'>;
  private readonly rejectedPoints: Counter<'protocol' | 'reason'>;
  readonly duration: Histogram<'protocol'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'phoenix_receiver_requests_total',
      help: 'OTLP export requests handled, by protocol, encoding and outcome (success, partial, rejected).',
      labelNames: ['protocol', 'encoding', 'outcome'],
      registers: [registry],
    });
    this.points = new Counter({
      name: 'phoenix_receiver_data_points_total',
      help: 'OTLP data points received, by protocol and outcome (accepted, rejected).',
      labelNames: ['protocol', 'outcome'],
      registers: [registry],
    });
    this.rejections = new Counter({
      name: 'phoenix_receiver_rejections_total',
      help: 'Whole OTLP requests refused, by protocol and reason.',
      labelNames: ['protocol', 'reason'],
      registers: [registry],
    });
    this.rejectedPoints = new Counter({
      name: 'phoenix_receiver_rejected_data_points_total',
      help: 'Data points refused inside accepted requests (OTLP partial_success), by protocol and reason.',
      labelNames: ['protocol', 'reason'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'phoenix_receiver_request_duration_seconds',
      help: 'Time from a complete request body to the response, by protocol.',
      labelNames: ['protocol'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    });
    // expose zero-valued series for the common label combinations so rates work from the start
    for (const protocol of ['grpc', 'http'] as const) {
      this.points.inc({ protocol, outcome: 'accepted' }, 0);
      this.points.inc({ protocol, outcome: 'rejected' }, 0);
    }
  }

  rejectedRequest(protocol: Protocol, encoding: Encoding, reason: RequestRejectReason): void {
    this.requests.inc({ protocol, encoding, outcome: 'rejected' });
    this.rejections.inc({ protocol, reason });
  }

  ingested(protocol: Protocol, encoding: Encoding, r: IngestResult): void {
    this.requests.inc({ protocol, encoding, outcome: r.rejected > 0 ? 'partial' : 'success' });
    if (r.accepted > 0) this.points.inc({ protocol, outcome: 'accepted' }, r.accepted);
    if (r.rejected > 0) {
      this.points.inc({ protocol, outcome: 'rejected' }, r.rejected);
      for (const [reason, n] of Object.entries(r.reasons)) if (n) this.rejectedPoints.inc({ protocol, reason }, n);
    }
  }
}
