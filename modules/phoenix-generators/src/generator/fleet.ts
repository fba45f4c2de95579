import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { Clock, Logger } from '@phoenix/runtime';
import { mapLimit } from '../common/mapLimit';
import { createMetricExporter } from '../exporter/createMetricExporter';
import type { ExporterConfig } from '../exporter/exporterConfig';
import { HostTelemetry, type HostExportResult } from '../sdk/hostTelemetry';
import { HostModel, type StepChurn } from '../workload/hostModel';
import type { WorkloadConfig } from '../workload/workloadConfig';
import type { GeneratorConfig } from './generatorConfig';

/** What a fleet is built from (the generator's dependencies). */
export interface FleetDeps {
  clock: Clock;
  log: Logger;
  exporter: ExporterConfig;
  workload: WorkloadConfig;
  config: GeneratorConfig;
  meterVersion: string;
  /** Defaults to the OTLP exporter for `exporter.protocol`. */
  createExporter?: (c: ExporterConfig) => PushMetricExporter;
}

/** One simulated host: its workload model and its OpenTelemetry SDK. */
export interface FleetHost {
  model: HostModel;
  telemetry: HostTelemetry;
}

/**
 * The simulated hosts of one seed, sharing one OTLP exporter (one connection). Hosts are added with
 * the next index and removed from the end, so host names stay stable as the fleet grows and shrinks.
 */
export class Fleet {
  readonly hosts: FleetHost[] = [];
  /** Export intervals run by this fleet. */
  seq = 0;
  private readonly exporter: PushMetricExporter;

  constructor(
    private readonly deps: FleetDeps,
    readonly seed: number,
  ) {
    this.exporter = (deps.createExporter ?? createMetricExporter)(deps.exporter);
  }

  /** Grows or shrinks the fleet to `hosts`; resolves with the names of the removed hosts. */
  async resize(hosts: number, processesPerHost: number): Promise<string[]> {
    const d = this.deps;
    while (this.hosts.length < hosts) {
      const model = new HostModel({ hostIndex: this.hosts.length, seed: this.seed, initialProcesses: processesPerHost, config: d.workload });
      const telemetry = new HostTelemetry({
        model,
        exporter: this.exporter,
        serviceName: d.workload.service_name,
        cardinalityLimit: d.config.cardinality_limit,
        rotateAfterExited: d.config.rotate_after_exited,
        collectTimeoutMs: d.config.collect_timeout_ms,
        meterVersion: d.meterVersion,
        log: d.log,
        now: () => d.clock.now(),
      });
      this.hosts.push({ model, telemetry });
    }
    const removed: string[] = [];
    while (this.hosts.length > hosts) {
      const h = this.hosts.pop();
      if (!h) break;
      await h.telemetry.shutdown();
      removed.push(h.model.hostName);
    }
    return removed;
  }

  /** Steps every host's model by one interval; the churn of all hosts and the live processes after it. */
  step(intervalSeconds: number, processesPerHost: number, churnRate: number): { churn: StepChurn; processes: number } {
    const churn: StepChurn = { spawns: 0, exits: 0, restarts: 0, resets: 0 };
    let processes = 0;
    for (const h of this.hosts) {
      const c = h.model.step(intervalSeconds, processesPerHost, churnRate);
      churn.spawns += c.spawns;
      churn.exits += c.exits;
      churn.restarts += c.restarts;
      churn.resets += c.resets;
      processes += h.model.processCount;
    }
    return { churn, processes };
  }

  /** Collects and exports every host (at most `max_concurrent_exports` at once); a failure is a result, never a throw. */
  exportAll(): Promise<HostExportResult[]> {
    return mapLimit(this.hosts, this.deps.exporter.max_concurrent_exports, (h) =>
      h.telemetry.exportOnce().catch((err: unknown): HostExportResult => ({ ok: false, error: (err as Error).message, dataPoints: 0, durationMs: 0 })),
    );
  }

  /** Meter providers rebuilt so far, all hosts. */
  rotations(): number {
    return this.hosts.reduce((n, h) => n + h.telemetry.rotations, 0);
  }

  /** Shuts every host's SDK down, then the exporter. */
  async shutdown(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.telemetry.shutdown()));
    await this.exporter.shutdown().catch((err: unknown) => this.deps.log.warn('exporter shutdown failed', { error: err }));
  }
}
