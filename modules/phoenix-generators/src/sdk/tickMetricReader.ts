import { MetricReader, type AggregationTemporalitySelector } from '@opentelemetry/sdk-metrics';

/**
 * A pull-style MetricReader: the generator calls collect() on every tick and hands the result to the
 * OTLP exporter itself, so the model step, the export and the recorded ground truth refer to the same
 * instant (a PeriodicExportingMetricReader would run its own timer per host and hide the export result).
 * The per-instrument cardinality limit is raised through the reader's cardinalitySelector so no
 * process is ever folded into the `otel.metric.overflow` series.
 */
export class TickMetricReader extends MetricReader {
  constructor(opts: { cardinalityLimit: number; temporalitySelector?: AggregationTemporalitySelector }) {
    super({
      cardinalitySelector: () => opts.cardinalityLimit,
      aggregationTemporalitySelector: opts.temporalitySelector,
    });
  }

  protected override async onForceFlush(): Promise<void> {
    // Nothing buffered: every collection is exported by the caller.
  }

  protected override async onShutdown(): Promise<void> {
    // The shared exporter is shut down by its owner.
  }
}
