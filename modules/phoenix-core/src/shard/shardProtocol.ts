import type { CoreConfig } from '../config/coreConfig';
import type { DecodedRequest } from '../otlp/model';
import type { Profile } from '../processor/optimized/optimizedPipeline';
import type { PipelineName } from '../processor/pipeline';
import type { PipelineErrorCount } from '../store/storeListeners';
import type { StoreStats } from '../telemetry/coreTelemetry';
import type { KpiPartial } from '../telemetry/kpiCalculator';
import type { IngestResult } from '../consumer/metricsConsumer';
import type { ShardExposition } from './familyIndexWriter';

/**
 * Messages between a sharded core's main thread and its shard workers (worker_threads inside one
 * process, so they never cross a module boundary and need no contract in contracts/).
 * Every request carries an id; the worker answers each with a ShardReply of the same id, in order.
 */
export type ShardRequest =
  /** decode and ingest a protobuf ExportMetricsServiceRequest (the part of a request for this shard) */
  | { id: number; op: 'ingest'; body: Uint8Array }
  /** decode and hold (first phase of a request split over several shards); answers the points */
  | { id: number; op: 'prepare'; body: Uint8Array }
  /** ingest what `prepare` #ref decoded, or drop it */
  | { id: number; op: 'commit' | 'abort'; ref: number }
  /** ingest an already decoded request (OTLP/JSON, decoded on the main thread) */
  | { id: number; op: 'ingestDecoded'; req: DecodedRequest }
  | { id: number; op: 'render'; pipeline: PipelineName }
  | { id: number; op: 'stats' }
  | { id: number; op: 'control'; profile: Profile; k: number }
  | { id: number; op: 'sweep' | 'rank' };

/** What a shard reports for the observatory. */
export interface ShardStats {
  store: StoreStats;
  /** names of the metric families the shard holds (families span shards) */
  families: string[];
  kpis: KpiPartial;
  /** series whose host attribute belongs to another shard (a point-level host differing from the resource's) */
  misrouted: number;
  /** failures of the shard's pipelines (SeriesStore.pipelineErrors) */
  pipelineErrors: PipelineErrorCount[];
}

export interface ShardRendered {
  exposition: ShardExposition;
  /** CPU seconds of the render */
  seconds: number;
}

export type ShardReply =
  | { id: number; ok: true; value: IngestResult | ShardRendered | ShardStats | number | null }
  /** `decode`: the request was malformed (an InvalidInputError); otherwise the shard failed */
  | { id: number; ok: false; decode: boolean; message: string };

/** What a shard worker is started with (workerData). */
export interface ShardInit {
  config: CoreConfig;
  index: number;
  shards: number;
  /** run the staleness sweep and top-k ranking on timers */
  timers: boolean;
}
