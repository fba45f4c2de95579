import { Registry } from 'prom-client';
import type { Clock } from '../clock';
import type { CoreConfig } from '../config/coreConfig';
import { ChunkPool } from '../exporter/chunkPool';
import { PrometheusExporter } from '../exporter/prometheusExporter';
import { HealthServer } from '../health/healthServer';
import type { Logger } from '../log';
import { FullFidelityPipeline } from '../processor/fullFidelityPipeline';
import type { Pipeline, PipelineName } from '../processor/pipeline';
import { OtlpGrpcReceiver } from '../receiver/otlpgrpc/otlpGrpcReceiver';
import { OtlpHttpReceiver } from '../receiver/otlphttp/otlpHttpReceiver';
import { SeriesStore } from '../store/seriesStore';
import { CoreTelemetry } from '../telemetry/coreTelemetry';
import { ObservatoryServer } from '../telemetry/observatoryServer';
import { ReceiverTelemetry } from '../telemetry/receiverTelemetry';
import { ControlFileWatcher } from '../control/controlFileWatcher';
import { defaultControlState } from '../control/controlState';
import { OptimizedPipeline } from '../processor/optimized/optimizedPipeline';
import { DEFAULT_PRIORITY_RULES_FILE, loadPriorityRules } from '../processor/priority/priorityClassifier';
import { TopkPipeline } from '../processor/topk/topkPipeline';
import { KpiCalculator, type Kpis } from '../telemetry/kpiCalculator';
import { pipelineForMode } from './modePipeline';

interface Component {
  start(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface CoreDeps {
  clock: Clock;
  log: Logger;
  /** the observatory registry; a fresh one when omitted */
  registry?: Registry;
  /** timers for the staleness sweep; tests with fake time pass false and call sweep() */
  timers?: boolean;
}

/**
 * phoenix-core assembled from components: receivers → series store → pipelines → exporters.
 * start() brings up exporters first and receivers last, then reports healthy;
 * shutdown() goes in reverse and is idempotent.
 */
export class CoreService {
  readonly registry: Registry;
  readonly store: SeriesStore;
  readonly pipelines: Map<PipelineName, Pipeline>;
  readonly exporters: Record<'fullFidelity' | 'optimized' | 'experimentalTopk' | 'active', PrometheusExporter>;
  readonly optimized: OptimizedPipeline;
  readonly topk: TopkPipeline;
  readonly kpis: KpiCalculator;
  readonly control: ControlFileWatcher;
  readonly observatory: ObservatoryServer;
  readonly health: HealthServer;
  readonly grpc: OtlpGrpcReceiver;
  readonly http: OtlpHttpReceiver;
  readonly telemetry: CoreTelemetry;
  private readonly started: Component[] = [];
  private sweepTimer: NodeJS.Timeout | undefined;
  private rankTimer: NodeJS.Timeout | undefined;
  private shutdownPromise: Promise<void> | undefined;
  private activePipeline: PipelineName = 'full_fidelity';

  constructor(
    readonly config: CoreConfig,
    private readonly deps: CoreDeps,
  ) {
    const log = deps.log;
    this.registry = deps.registry ?? new Registry();
    this.store = new SeriesStore(config.store, deps.clock, log.child('store'));
    this.telemetry = new CoreTelemetry(this.registry, this.store);
    const receiverTelemetry = new ReceiverTelemetry(this.registry);
    const ff = new FullFidelityPipeline(this.store);
    const classifier = loadPriorityRules(config.priorityRulesFile ?? DEFAULT_PRIORITY_RULES_FILE);
    const initial = defaultControlState(config.targetSeries);
    this.optimized = new OptimizedPipeline(this.store, config.rollup, deps.clock, classifier, initial.profile);
    this.topk = new TopkPipeline(this.store, config.rollup, deps.clock, { ...config.topk, k: initial.topk.k });
    this.kpis = new KpiCalculator(this.store, this.optimized, this.topk, config.rollup.hostAttribute, deps.clock);
    if (config.reductionEnabled) {
      this.store.addListener(this.optimized);
      this.store.addListener(this.topk);
      this.store.addListener(this.topk.ranker);
      this.store.addListener(this.kpis);
    }
    this.pipelines = new Map<PipelineName, Pipeline>([
      ['full_fidelity', ff],
      ['optimized', this.optimized],
      ['experimental_topk', this.topk],
    ]);
    this.activePipeline = pipelineForMode(initial.mode);
    this.control = new ControlFileWatcher(
      config.controlFile,
      initial,
      (cfg) => {
        this.optimized.setProfile(cfg.profile);
        this.topk.setK(cfg.topk.k);
        this.activePipeline = pipelineForMode(cfg.mode);
      },
      this.registry,
      log.child('control'),
      { usePolling: config.controlFilePolling },
    );
    const host = config.bindAddress;
    // one pool of output chunks for the four pipeline endpoints: up to 64 MiB kept idle (a 300k-series
    // exposition); larger expositions allocate the rest per scrape
    const pool = new ChunkPool(1 << 20, 64);
    const rendered = (exporter: string) => (seconds: number) => this.telemetry.renderSeconds.observe({ exporter }, seconds);
    this.exporters = {
      fullFidelity: new PrometheusExporter('full_fidelity', { host, port: config.ports.fullFidelity, path: '/metrics' }, (w) => ff.renderSteps(w), log.child('exporter'), rendered('full_fidelity'), pool),
      optimized: new PrometheusExporter('optimized', { host, port: config.ports.optimized, path: '/metrics' }, (w) => this.optimized.renderSteps(w), log.child('exporter'), rendered('optimized'), pool),
      experimentalTopk: new PrometheusExporter('experimental_topk', { host, port: config.ports.experimentalTopk, path: '/metrics' }, (w) => this.topk.renderSteps(w), log.child('exporter'), rendered('experimental_topk'), pool),
      active: new PrometheusExporter('active', { host, port: config.ports.active, path: '/metrics' }, (w) => this.pipelineOf(this.activePipeline).renderSteps(w), log.child('exporter'), rendered('active'), pool),
    };
    this.observatory = new ObservatoryServer(host, config.ports.observatory, this.registry, () => this.refreshKpis(), log.child('observatory'));
    this.health = new HealthServer(host, config.ports.health, log.child('health'));
    this.grpc = new OtlpGrpcReceiver({ host, port: config.ports.otlpGrpc, maxRequestBytes: config.maxRequestBytes }, this.store, receiverTelemetry, log.child('otlpgrpc'));
    this.http = new OtlpHttpReceiver({ host, port: config.ports.otlpHttp, path: '/v1/metrics', maxRequestBytes: config.maxRequestBytes }, this.store, receiverTelemetry, log.child('otlphttp'));
  }

  private pipelineOf(name: PipelineName): Pipeline {
    return this.pipelines.get(name) ?? (this.pipelines.get('full_fidelity') as Pipeline);
  }

  /** The pipeline feeding the active output now. */
  get active(): PipelineName {
    return this.activePipeline;
  }

  /** Updates the computed observatory gauges; returns the KPIs. */
  refreshKpis(): Kpis {
    this.telemetry.refreshStore();
    const k = this.kpis.compute();
    this.telemetry.setKpis(k, this.activePipeline);
    return k;
  }

  /** Runs the staleness sweep now: input series, then the pipelines' output groups. */
  sweep(): number {
    const n = this.store.sweep();
    this.optimized.sweep();
    this.topk.sweep();
    return n;
  }

  /** Recomputes the top-k member sets now. */
  rank(): number {
    return this.topk.recompute();
  }

  async start(): Promise<void> {
    const order: Component[] = [
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
    if (this.deps.timers ?? true) {
      this.sweepTimer = setInterval(() => {
        try {
          const n = this.sweep();
          if (n > 0) this.deps.log.debug('expired stale series', { series: n });
        } catch (err) {
          this.deps.log.error('staleness sweep failed', { err });
        }
      }, this.config.sweepIntervalMs);
      this.sweepTimer.unref();
      this.rankTimer = setInterval(() => {
        try {
          this.topk.recompute();
        } catch (err) {
          this.deps.log.error('top-k ranking failed', { err });
        }
      }, this.config.topk.rankIntervalMs);
      this.rankTimer.unref();
    }
    this.health.setReady(true);
    this.deps.log.info('phoenix-core ready', { ports: this.boundPorts() });
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

  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      this.health.setReady(false);
      if (this.sweepTimer) clearInterval(this.sweepTimer);
      if (this.rankTimer) clearInterval(this.rankTimer);
      for (const c of [...this.started].reverse()) {
        try {
          await c.shutdown();
        } catch (err) {
          this.deps.log.error('component shutdown failed', { err });
        }
      }
    })();
    return this.shutdownPromise;
  }
}
