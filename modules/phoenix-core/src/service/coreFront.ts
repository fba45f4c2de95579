import type { OptimizationMode } from '@phoenix/contracts';
import { GuardedLifecycle, type Clock, type Lifecycle, type Logger } from '@phoenix/runtime';
import type { Registry } from 'prom-client';
import type { CoreConfig } from '../config/coreConfig';
import { ControlFileWatcher } from '../control/controlFileWatcher';
import { defaultControlState } from '../control/controlState';
import { ChunkPool } from '../exporter/chunkPool';
import type { ExpositionWriter } from '../exporter/expositionWriter';
import { PrometheusExporter, type RenderFn } from '../exporter/prometheusExporter';
import type { OtlpSink } from '../consumer/metricsConsumer';
import { HealthServer } from '../health/healthServer';
import type { PipelineName } from '../processor/pipeline';
import { OtlpGrpcReceiver } from '../receiver/otlpgrpc/otlpGrpcReceiver';
import { OtlpHttpReceiver } from '../receiver/otlphttp/otlpHttpReceiver';
import type { CoreTelemetry } from '../telemetry/coreTelemetry';
import { ObservatoryServer } from '../telemetry/observatoryServer';
import type { ReceiverTelemetry } from '../telemetry/receiverTelemetry';
import { pipelineForMode } from './modePipeline';

/** What the listeners of a core are wired to: the in-process pipelines or the shards of a sharded core. */
export interface CoreFrontDeps {
  log: Logger;
  /** time of the control-file watcher and the rate-limited logs */
  clock: Clock;
  registry: Registry;
  telemetry: CoreTelemetry;
  receiverTelemetry: ReceiverTelemetry;
  /** where the receivers send requests */
  sink: OtlpSink;
  /** renders a pipeline's output for one scrape (see RenderFn) */
  render: (pipeline: PipelineName, w: ExpositionWriter) => ReturnType<RenderFn>;
  /** refreshes the observatory's computed gauges before a scrape */
  refresh: () => unknown;
  /** applies a control file's pipeline settings (the front itself switches the active output) */
  applyControl: (cfg: OptimizationMode) => unknown;
}

/**
 * The listeners of phoenix-core: OTLP receivers, the four Prometheus exporters, the observatory,
 * health, and the control-file watcher. start() brings up exporters first and receivers last;
 * stop() stops what was started in reverse (a Lifecycle: both idempotent).
 */
export class CoreFront extends GuardedLifecycle {
  readonly exporters: Record<'fullFidelity' | 'optimized' | 'experimentalTopk' | 'active', PrometheusExporter>;
  readonly control: ControlFileWatcher;
  readonly observatory: ObservatoryServer;
  readonly health: HealthServer;
  readonly grpc: OtlpGrpcReceiver;
  readonly http: OtlpHttpReceiver;
  private readonly started: Lifecycle[] = [];
  private activePipeline: PipelineName;
  private readonly log: Logger;

  constructor(config: CoreConfig, deps: CoreFrontDeps) {
    super('the listeners of phoenix-core');
    const log = deps.log;
    this.log = log;
    const initial = defaultControlState(config.targetSeries);
    this.activePipeline = pipelineForMode(initial.mode);
    this.control = new ControlFileWatcher(
      config.controlFile,
      initial,
      (cfg) => {
        deps.applyControl(cfg);
        this.activePipeline = pipelineForMode(cfg.mode);
      },
      deps.registry,
      log.child({ component: 'control' }),
      { usePolling: config.controlFilePolling, clock: deps.clock },
    );
    const host = config.bindAddress;
    // one pool of output chunks for the four pipeline endpoints: up to 64 MiB kept idle (a 300k-series
    // exposition); larger expositions allocate the rest per scrape
    const pool = new ChunkPool(1 << 20, 64);
    const exporter = (name: string, port: number, pipeline: () => PipelineName): PrometheusExporter =>
      new PrometheusExporter(
        name,
        { host, port, path: '/metrics' },
        (w) => deps.render(pipeline(), w),
        log.child({ component: 'exporter' }),
        (seconds) => deps.telemetry.renderSeconds.observe({ exporter: name }, seconds),
        pool,
      );
    this.exporters = {
      fullFidelity: exporter('full_fidelity', config.ports.fullFidelity, () => 'full_fidelity'),
      optimized: exporter('optimized', config.ports.optimized, () => 'optimized'),
      experimentalTopk: exporter('experimental_topk', config.ports.experimentalTopk, () => 'experimental_topk'),
      active: exporter('active', config.ports.active, () => this.activePipeline),
    };
    this.observatory = new ObservatoryServer(host, config.ports.observatory, deps.registry, deps.refresh, log.child({ component: 'observatory' }));
    this.health = new HealthServer(host, config.ports.health, log.child({ component: 'health' }));
    const limits = { host, maxRequestBytes: config.maxRequestBytes };
    this.grpc = new OtlpGrpcReceiver({ ...limits, port: config.ports.otlpGrpc }, deps.sink, deps.receiverTelemetry, log.child({ component: 'otlpgrpc' }), deps.clock);
    this.http = new OtlpHttpReceiver({ ...limits, port: config.ports.otlpHttp, path: '/v1/metrics' }, deps.sink, deps.receiverTelemetry, log.child({ component: 'otlphttp' }), deps.clock);
  }

  /** The pipeline feeding the active output now. */
  get active(): PipelineName {
    return this.activePipeline;
  }

  protected async doStart(): Promise<void> {
    const order: Lifecycle[] = [
      this.health,
      this.observatory,
      this.exporters.fullFidelity,
      this.exporters.optimized,
      this.exporters.experimentalTopk,
      this.exporters.active,
      this.control,
      this.http,
      this.grpc,
    ];
    for (const c of order) {
      await c.start();
      this.started.push(c);
    }
  }

  /** Ports actually bound (differ from the config where it asked for 0). */
  boundPorts(): Record<string, number> {
    return {
      otlpGrpc: this.grpc.port,
      otlpHttp: this.http.port,
      fullFidelity: this.exporters.fullFidelity.port,
      optimized: this.exporters.optimized.port,
      experimentalTopk: this.exporters.experimentalTopk.port,
      observatory: this.observatory.port,
      active: this.exporters.active.port,
      health: this.health.port,
    };
  }

  /** Stops the started components in reverse order; errors are logged, not thrown. */
  protected async doStop(): Promise<void> {
    this.health.setReady(false);
    for (const c of [...this.started].reverse()) {
      try {
        await c.stop();
      } catch (err) {
        this.log.error('component stop failed', { err });
      }
    }
  }
}
