import { GuardedLifecycle, type Clock, type Logger } from '@phoenix/runtime';
import { Registry } from 'prom-client';
import type { CoreConfig } from '../config/coreConfig';
import type { OptimizedPipeline } from '../processor/optimized/optimizedPipeline';
import type { Pipeline, PipelineName } from '../processor/pipeline';
import type { TopkPipeline } from '../processor/topk/topkPipeline';
import { consumerSink } from '../receiver/consumerSink';
import type { SeriesStore } from '../store/seriesStore';
import { CoreTelemetry } from '../telemetry/coreTelemetry';
import type { KpiCalculator, Kpis } from '../telemetry/kpiCalculator';
import { ReceiverTelemetry } from '../telemetry/receiverTelemetry';
import { CoreFront } from './coreFront';
import { CorePipelines } from './corePipelines';
import { startMaintenance } from './maintenance';

export interface CoreDeps {
  clock: Clock;
  log: Logger;
  /** the observatory registry; a fresh one when omitted */
  registry?: Registry;
  /** run the staleness sweep and the top-k ranking on timers of `clock` (tests may pass false and call sweep()/rank()) */
  timers?: boolean;
}

/**
 * phoenix-core assembled from components in one thread: receivers → series store → pipelines →
 * exporters (see CoreFront for the listeners, ShardedCoreService for the multi-threaded form).
 * A Lifecycle: start() brings up exporters first and receivers last, then reports healthy; stop()
 * goes in reverse. Both idempotent; a stopped core is not started again.
 */
export class CoreService extends GuardedLifecycle {
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
  private stopMaintenance: (() => void) | undefined;

  constructor(
    readonly config: CoreConfig,
    private readonly deps: CoreDeps,
  ) {
    super('phoenix-core');
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
      clock: deps.clock,
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
    this.telemetry.refreshPipelineErrors(this.store.pipelineErrors());
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

  protected async doStart(): Promise<void> {
    await this.front.start();
    if (this.deps.timers ?? true) {
      const intervals = { sweepIntervalMs: this.config.sweepIntervalMs, rankIntervalMs: this.config.topk.rankIntervalMs };
      this.stopMaintenance = startMaintenance(this.core, intervals, this.deps.clock, this.deps.log);
    }
    this.front.health.setReady(true);
    this.deps.log.info('phoenix-core ready', { ports: this.boundPorts() });
  }

  protected async doStop(): Promise<void> {
    this.stopMaintenance?.();
    await this.front.stop();
  }

  /** Ports actually bound (differ from the config where it asked for 0). */
  boundPorts(): Record<string, number> {
    return this.front.boundPorts();
  }
}
