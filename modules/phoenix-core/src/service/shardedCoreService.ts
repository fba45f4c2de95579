import { GuardedLifecycle, systemClock, type Clock, type Logger } from '@phoenix/runtime';
import { Counter, Gauge, Registry } from 'prom-client';
import type { CoreConfig } from '../config/coreConfig';
import { DEFAULT_PRIORITY_RULES_FILE, loadPriorityRules } from '../processor/priority/priorityClassifier';
import { ShardPool } from '../shard/shardPool';
import { sumPipelineErrors } from '../store/storeListeners';
import { CoreTelemetry } from '../telemetry/coreTelemetry';
import { combineKpis, type Kpis } from '../telemetry/kpiCalculator';
import { ReceiverTelemetry } from '../telemetry/receiverTelemetry';
import { CoreFront } from './coreFront';
import type { PipelineName } from '../processor/pipeline';

export interface ShardedCoreDeps {
  log: Logger;
  /** time of the main thread (control-file watcher, rate-limited logs; the shards use the system clock) */
  clock?: Clock;
  /** the observatory registry; a fresh one when omitted */
  registry?: Registry;
  /** the shards run the staleness sweep and top-k ranking on timers (tests pass false and call sweep()/rank()) */
  timers?: boolean;
}

/**
 * phoenix-core spread over several threads (PHOENIX_CORE_SHARDS > 1): the listeners run on the
 * main thread (CoreFront) and route each request's resources by host to the shard workers
 * (ShardPool), which hold the stores and pipelines. Scrapes merge the shards' parts; the
 * observatory combines their KPIs. Same listeners, endpoints and outputs as CoreService, and the
 * same Lifecycle: start() starts the shards, then the listeners; stop() the other way round.
 */
export class ShardedCoreService extends GuardedLifecycle {
  readonly registry: Registry;
  readonly pool: ShardPool;
  readonly telemetry: CoreTelemetry;
  readonly front: CoreFront;
  private readonly misrouted: Gauge;
  private readonly conflicts: Counter;
  private conflictsSeen = 0;

  constructor(
    readonly config: CoreConfig,
    private readonly deps: ShardedCoreDeps,
  ) {
    super('phoenix-core');
    // the shards load the rules too; loading them here reports a bad file before any thread starts
    loadPriorityRules(config.priorityRulesFile ?? DEFAULT_PRIORITY_RULES_FILE);
    this.registry = deps.registry ?? new Registry();
    this.telemetry = new CoreTelemetry(this.registry);
    new Gauge({ name: 'phoenix_core_shards', help: 'Shards (worker threads with a store and the pipelines each) of this core.', registers: [this.registry] }).set(config.shards);
    this.misrouted = new Gauge({
      name: 'phoenix_shard_misrouted_series',
      help: 'Series whose host (a point attribute) hashes to another shard than their resource host: their rollups may be split between shards.',
      registers: [this.registry],
    });
    this.conflicts = new Counter({
      name: 'phoenix_shard_type_conflicts_total',
      help: 'Metric families left out of a merged scrape because another shard holds the same name with another type.',
      registers: [this.registry],
    });
    this.pool = new ShardPool(config, config.shards, deps.log.child({ component: 'shards' }), {
      timers: deps.timers ?? true,
      onFailure: () => this.front.health.setReady(false),
    });
    this.front = new CoreFront(config, {
      log: deps.log,
      clock: deps.clock ?? systemClock,
      registry: this.registry,
      telemetry: this.telemetry,
      receiverTelemetry: new ReceiverTelemetry(this.registry),
      sink: this.pool,
      render: (p) => this.pool.render(p),
      refresh: () => this.refreshKpis(),
      applyControl: (cfg) =>
        this.pool.applyControl(cfg.profile, cfg.topk.k).catch((err: unknown) => deps.log.error('applying the control file in the shards failed', { err })),
    });
  }

  /** The pipeline feeding the active output now. */
  get active(): PipelineName {
    return this.front.active;
  }

  /** Updates the computed observatory gauges from every shard; returns the KPIs. */
  async refreshKpis(): Promise<Kpis> {
    const stats = await this.pool.stats();
    const families = new Set<string>();
    let misrouted = 0;
    const store = { series: 0, families: 0, created: 0, expired: 0 };
    for (const s of stats) {
      store.series += s.store.series;
      store.created += s.store.created;
      store.expired += s.store.expired;
      for (const f of s.families) families.add(f);
      misrouted += s.misrouted;
    }
    store.families = families.size;
    this.telemetry.refreshStore(store);
    this.telemetry.refreshPipelineErrors(sumPipelineErrors(stats.map((s) => s.pipelineErrors)));
    this.misrouted.set(misrouted);
    if (this.pool.typeConflicts > this.conflictsSeen) this.conflicts.inc(this.pool.typeConflicts - this.conflictsSeen);
    this.conflictsSeen = this.pool.typeConflicts;
    const k = combineKpis(stats.map((s) => s.kpis));
    this.telemetry.setKpis(k, this.active);
    return k;
  }

  /** Runs the staleness sweep in every shard now. */
  sweep(): Promise<number> {
    return this.pool.sweep();
  }

  /** Recomputes the top-k member sets in every shard now. */
  rank(): Promise<number> {
    return this.pool.rank();
  }

  protected async doStart(): Promise<void> {
    await this.pool.start();
    await this.front.start();
    this.front.health.setReady(true);
    this.deps.log.info('phoenix-core ready', { ports: this.boundPorts(), shards: this.config.shards });
  }

  protected async doStop(): Promise<void> {
    await this.front.stop();
    await this.pool.stop();
  }

  boundPorts(): Record<string, number> {
    return this.front.boundPorts();
  }
}
