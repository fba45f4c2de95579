import { AggregationTemporality, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** A PushMetricExporter that keeps what it is given (or fails on demand), for SDK-level tests. */
export interface CaptureExporter extends PushMetricExporter {
  exported: ResourceMetrics[];
  fail: boolean;
  /** shutdown() calls */
  shutdowns: number;
}

/** Creates a capture exporter with cumulative temporality. */
export function createCaptureExporter(): CaptureExporter {
  const exporter: CaptureExporter = {
    exported: [],
    fail: false,
    shutdowns: 0,
    export(metrics, resultCallback) {
      if (exporter.fail) {
        resultCallback({ code: 1, error: new Error('capture exporter failing') });
        return;
      }
      exporter.exported.push(metrics);
      resultCallback({ code: 0 });
    },
    forceFlush: async () => undefined,
    shutdown: async () => {
      exporter.shutdowns += 1;
    },
    selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
  };
  return exporter;
}
