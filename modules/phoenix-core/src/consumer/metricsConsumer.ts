/**
 * The consumer interfaces between the receivers and the series store (the OpenTelemetry
 * Collector's `consumer` package): what a receiver hands requests to and what it gets back.
 * Types only; the receivers and the store both import them, neither imports the other.
 */
import type { DecodedRequest } from '../otlp/model';

/** Why a point inside an accepted request was refused (a label value of the rejection metric). */
export type PointRejectReason = 'type_conflict' | 'out_of_order' | 'invalid_point' | 'unsupported_kind' | 'series_limit' | 'pipeline_error';

/** The outcome of one request: points accepted and refused (OTLP partial_success). */
export interface IngestResult {
  accepted: number;
  rejected: number;
  reasons: Partial<Record<PointRejectReason, number>>;
  /** human-readable summary of the first refusals, for OTLP partial_success.error_message */
  message: string;
}

/** What decoded requests are handed to (the series store). Must not throw. */
export interface MetricsConsumer {
  consume(req: DecodedRequest): IngestResult;
}

/**
 * Where the receivers send OTLP requests. A result, or a promise of one when the work is done
 * elsewhere (the shards of a sharded core). Malformed input throws, or rejects with, an
 * InvalidInputError (HTTP 400 / INVALID_ARGUMENT) and then nothing of the request was ingested;
 * any other error means the core could not take the request now (HTTP 503 / UNAVAILABLE, retried).
 */
export interface OtlpSink {
  ingestProtobuf(body: Buffer): IngestResult | Promise<IngestResult>;
  ingestDecoded(req: DecodedRequest): IngestResult | Promise<IngestResult>;
}
