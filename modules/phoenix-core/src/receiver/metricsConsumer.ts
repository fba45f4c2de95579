import type { DecodedRequest } from '../otlp/model';
import type { IngestResult } from '../store/seriesStore';

/** What a receiver hands decoded requests to (the series store). Must not throw. */
export interface MetricsConsumer {
  consume(req: DecodedRequest): IngestResult;
}
