import { Registry } from 'prom-client';
import type { Clock } from '../clock';
import type { CoreConfig } from '../config/coreConfig';
import type { Logger } from '../log';
import type { OptimizedPipeline } from '../processor/optimized/optimizedPipeline';
import type { Pipeline, PipelineName } from '../processor/pipeline';
import type { TopkPipeline } from '../processor/topk/topkPipeline';
import { consumerSink } from '../receiver/metricsConsumer';
import type { SeriesStore } from '../store/seriesStore';
import { CoreTelemetry } from '../telemetry/coreTelemetry';
import type { KpiCalculator, Kpis } from '../telemetry/kpiCalculator';
import { ReceiverTelemetry } from '../telemetry/receiverTelemetry';
import { CoreFront } from './coreFront';
import { CorePipelines } from './corePipelines';

export interface CoreDeps {
  clock: Clock;
  log: Logger;
  /** the observatory registry; a fresh one when omitted */
  registry?: Registry;
  /** timers for the staleness sweep; tests with fake time pass false and call sweep() */
  timers?: boolean;
}

/**
 * phoenix-core assembled from components in one thread: receivers → series store → pipelines →
 * exporters (see CoreFront for the listeners, ShardedCoreService for the multi-threaded form).
 * start() brings up exporters first and receivers last, then reports healthy; shutdown() goes in
 * reverse and is idempotent.
 */
export class CoreService {
  readonly registry: Registry;
  /** the store and pipelines */
  readonly core: CorePipelines;
  readonly store: SeriesStore;
  readonly pipelines: Map<PipelineName, Pipeline>;
  readonly optimized: OptimizedPipeline;
  readonly topk: TopkPipeline;
  readonly kpis: KpiCalculator;
  readonly telemetry: CoreTelemetry;
  /** the listeners (receivers, exporters, observatory, health, control watcher) */
  readonly front: CoreFront;
  private sweepTimer: NodeJS.Timeout | undefined;
  private rankTimer: NodeJS.Timeout | undefined;
  private shutdownPromise: Promise<void> | undefined;

  constructor(
    readonly config: CoreConfig,
    private readonly deps: CoreDeps,
  ) {
    this.registry = deps.registry ?? new Registry();
    this.core = new CorePipelines(config, deps.clock, deps.log);
    this.store = this.core.store;
    this.optimized = this.core.optimized;
    this.topk = this.core.topk;
    this.kpis = this.core.kpis;
    this.pipelines = this.core.pipelines;
    this.telemetry = new CoreTelemetry(this.registry);
    this.front = new CoreFront(config, {
      log: deps.log,
      registry: this.registry,
      telemetry: this.telemetry,
      receiverTelemetry: new ReceiverTelemetry(this.registry),
      sink: consumerSink(this.store),
      render: (p, w) => this.core.pipeline(p).renderSteps(w),
      refresh: () => this.refreshKpis(),
      applyControl: (cfg) => this.core.applyControl(cfg.profile, cfg.topk.k),
    });
  }

  /** The pipeline feeding the active output now. */
  get active(): PipelineName {
    return this.front.active;
  }

  /** Updates the computed observatory gauges; returns the KPIs. */
  refreshKpis(): Kpis {
    this.telemetry.refreshStore(this.store.stats);
    const k = this.kpis.compute();
    this.telemetry.setKpis(k, this.active);
    return k;
  }

  /** Runs the staleness sweep now: input series, then the pipelines' output groups. */
  sweep(): number {
    return this.core.sweep();
  }

  /** Recomputes the top-k member sets now. */
  rank(): number {
    return this.core.rank();
  }

  async start(): Promise<void> {
    await this.front.start();
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
          this.core.rank();
        } catch (err) {
          this.deps.log.error('top-k ranking failed', { err });
        }
      }, this.config.topk.rankIntervalMs);
      this.rankTimer.unref();
    }
    this.front.health.setReady(true);
    this.deps.log.info('phoenix-core ready', { ports: this.boundPorts() });
  }

  /** Ports actually bound (differ from the config where it asked for 0). */
  boundPorts(): Record<string, number> {
    return this.front.boundPorts();
  }

  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      if (this.sweepTimer) clearInterval(this.sweepTimer);
      if (this.rankTimer) clearInterval(this.rankTimer);
      await this.front.shutdown(this.deps.log);
    })();
    return this.shutdownPromise;
  }
}
