import { ValueType, type Attributes, type BatchObservableResult, type HrTime, type Observable } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  MeterProvider,
  type MetricData,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { Logger } from '@phoenix/runtime';
import { PROCESS_METRICS, processAttributes } from '../metrics/processMetrics';
import type { HostModel } from '../workload/hostModel';
import { TickMetricReader } from './tickMetricReader';

/** Outcome of one host's export. */
export interface HostExportResult {
  ok: boolean;
  error?: string;
  /** Data points (= series) in the request. */
  dataPoints: number;
  durationMs: number;
}

/** Options of HostTelemetry. */
export interface HostTelemetryOptions {
  model: HostModel;
  exporter: PushMetricExporter;
  serviceName: string;
  /** Per-instrument cardinality limit of the SDK (must exceed every attribute set the provider sees). */
  cardinalityLimit: number;
  /** Rebuild the provider when more than max(this, live processes) exited processes are remembered by the SDK. */
  rotateAfterExited: number;
  /** Collection timeout (ms). */
  collectTimeoutMs: number;
  meterVersion: string;
  log: Logger;
  now: () => number;
}

const SUCCESS = 0; // ExportResultCode.SUCCESS of @opentelemetry/core

/**
 * One simulated host's OpenTelemetry SDK: a MeterProvider with the host's resource (host.name,
 * service.name, os.type), the five semantic-convention process instruments observed from the host
 * model by one batch callback, and a pull reader.
 *
 * Each export is adjusted the way a host agent reports processes, on top of what the SDK collected:
 * - With cumulative temporality the SDK keeps re-exporting the last value of every attribute set it
 *   has ever observed, even after the process exited; only the data points of processes observed in
 *   this collection are kept.
 * - Every point's start time is its process's start time (as the hostmetrics receiver reports it): it
 *   changes exactly when the counters restart (a new process, or a reset in place), not when the SDK
 *   happens to rebuild state.
 * - The SDK never forgets attribute sets, so under churn the provider is rebuilt (same resource; values
 *   come from the model and start times from the processes, so the receiver sees no difference) once it
 *   remembers more exited processes than live ones.
 */
export class HostTelemetry {
  readonly hostName: string;
  private readonly opts: HostTelemetryOptions;
  private provider!: MeterProvider;
  private reader!: TickMetricReader;
  private observed = new Set<number>();
  private seen = new Set<number>();
  /** Start time per live PID, with the incarnation it belongs to. */
  private readonly starts = new Map<number, { incarnation: number; time: HrTime }>();
  private rotationCount = 0;
  private closed = false;

  constructor(opts: HostTelemetryOptions) {
    this.opts = opts;
    this.hostName = opts.model.hostName;
    this.build();
  }

  /** Times the provider was rebuilt to drop exited processes from the SDK's memory. */
  get rotations(): number {
    return this.rotationCount;
  }

  private build(): void {
    const o = this.opts;
    const resource = resourceFromAttributes({
      'host.name': this.hostName,
      'service.name': o.serviceName,
      'os.type': 'linux',
    });
    this.reader = new TickMetricReader({
      cardinalityLimit: o.cardinalityLimit,
      temporalitySelector: o.exporter.selectAggregationTemporality?.bind(o.exporter),
    });
    this.provider = new MeterProvider({ resource, readers: [this.reader] });
    const meter = this.provider.getMeter('phoenix-generators', o.meterVersion);
    const instruments: Observable[] = PROCESS_METRICS.map((def) => {
      const options = {
        unit: def.unit,
        description: def.description,
        valueType: def.name === 'process.cpu.time' ? ValueType.DOUBLE : ValueType.INT,
      };
      return def.type === 'counter'
        ? meter.createObservableCounter(def.name, options)
        : meter.createObservableUpDownCounter(def.name, options);
    });
    meter.addBatchObservableCallback((result: BatchObservableResult) => {
      const observed = new Set<number>();
      for (const p of o.model.processes()) {
        observed.add(p.pid);
        const attrs = processAttributes(p);
        PROCESS_METRICS.forEach((def, i) => {
          if (def.attribute) {
            for (const v of def.attribute.values) {
              const withAttr: Attributes = { ...attrs, [def.attribute.key]: v };
              result.observe(instruments[i], def.value(p, v), withAttr);
            }
          } else {
            result.observe(instruments[i], def.value(p), attrs);
          }
        });
      }
      this.observed = observed;
    }, instruments);
    this.seen = new Set();
  }

  /** Collects the host's instruments and exports one OTLP request. */
  async exportOnce(): Promise<HostExportResult> {
    if (this.closed) throw new Error(`host ${this.hostName} is shut down`);
    const started = this.opts.now();
    const { resourceMetrics, errors } = await this.reader.collect({ timeoutMillis: this.opts.collectTimeoutMs });
    if (errors.length > 0) {
      this.opts.log.warn('collection reported errors', { host: this.hostName, errors: errors.map(String) });
    }
    for (const pid of this.observed) this.seen.add(pid);
    const live = this.observed;
    this.updateStartTimes(started);
    const filtered = adjustPoints(resourceMetrics, live, this.starts);
    const dataPoints = countDataPoints(filtered);
    const result = await new Promise<{ code: number; error?: Error }>((resolve) => this.opts.exporter.export(filtered, resolve));
    const exited = this.seen.size - live.size;
    if (exited > Math.max(this.opts.rotateAfterExited, live.size)) await this.rotate(exited);
    const durationMs = this.opts.now() - started;
    if (result.code === SUCCESS) return { ok: true, dataPoints, durationMs };
    return { ok: false, error: result.error?.message ?? 'export failed', dataPoints, durationMs };
  }

  private updateStartTimes(nowMs: number): void {
    const live = new Set<number>();
    for (const p of this.opts.model.processes()) {
      live.add(p.pid);
      const known = this.starts.get(p.pid);
      if (!known || known.incarnation !== p.incarnation) {
        const startMs = nowMs - p.ageSeconds * 1000;
        const seconds = Math.floor(startMs / 1000);
        this.starts.set(p.pid, { incarnation: p.incarnation, time: [seconds, Math.round((startMs - seconds * 1000) * 1e6)] });
      }
    }
    for (const pid of this.starts.keys()) if (!live.has(pid)) this.starts.delete(pid);
  }

  private async rotate(exited: number): Promise<void> {
    const old = this.provider;
    this.build();
    this.rotationCount++;
    this.opts.log.debug('rebuilt the host meter provider to forget exited processes', { host: this.hostName, exited });
    await old.shutdown();
  }

  /** Shuts the provider down (no final export). */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.provider.shutdown();
  }
}

/** Keeps the points of live processes and gives each its process's start time. */
function adjustPoints(rm: ResourceMetrics, live: Set<number>, starts: Map<number, { time: HrTime }>): ResourceMetrics {
  return {
    resource: rm.resource,
    scopeMetrics: rm.scopeMetrics.map((sm) => ({
      scope: sm.scope,
      metrics: sm.metrics
        .map((m) => {
          const points = (m.dataPoints as MetricData['dataPoints'])
            .filter((dp) => live.has(dp.attributes['process.pid'] as number))
            .map((dp) => ({ ...dp, startTime: starts.get(dp.attributes['process.pid'] as number)?.time ?? dp.startTime }));
          return { ...m, dataPoints: points } as MetricData;
        })
        .filter((m) => m.dataPoints.length > 0),
    })),
  };
}

/** Data points in a collection. */
export function countDataPoints(rm: ResourceMetrics): number {
  let n = 0;
  for (const sm of rm.scopeMetrics) for (const m of sm.metrics) n += m.dataPoints.length;
  return n;
}
