import { decodeProtobufRequest } from '../otlp/decodeProtobufRequest';
import type { DecodedRequest } from '../otlp/model';
import type { IngestResult } from '../store/seriesStore';

/** What decoded requests are handed to (the series store). Must not throw. */
export interface MetricsConsumer {
  consume(req: DecodedRequest): IngestResult;
}

/**
 * Where the receivers send OTLP requests. A result, or a promise of one when the work is done
 * elsewhere (the shards of a sharded core). Malformed protobuf throws, or rejects with,
 * OtlpDecodeError (INVALID_ARGUMENT / HTTP 400) and then nothing of the request was ingested;
 * any other error means the core could not take the request now (UNAVAILABLE / HTTP 503).
 */
export interface OtlpSink {
  ingestProtobuf(body: Buffer): IngestResult | Promise<IngestResult>;
  ingestDecoded(req: DecodedRequest): IngestResult | Promise<IngestResult>;
}

/** The in-process sink: decodes on the calling thread and hands the request to `next`. */
export function consumerSink(next: MetricsConsumer): OtlpSink {
  return {
    ingestProtobuf: (body) => next.consume(decodeProtobufRequest(body, { lazyAttributes: true })),
    ingestDecoded: (req) => next.consume(req),
  };
}
