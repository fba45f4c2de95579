import type { MetricsConsumer, OtlpSink } from '../consumer/metricsConsumer';
import { decodeProtobufRequest } from '../otlp/decodeProtobufRequest';

/** The in-process sink: decodes on the calling thread and hands the request to `next`. */
export function consumerSink(next: MetricsConsumer): OtlpSink {
  return {
    ingestProtobuf: (body) => next.consume(decodeProtobufRequest(body, { lazyAttributes: true })),
    ingestDecoded: (req) => next.consume(req),
  };
}
