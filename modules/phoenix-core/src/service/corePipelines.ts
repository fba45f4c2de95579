import type { Clock, Logger } from '@phoenix/runtime';
import type { CoreConfig } from '../config/coreConfig';
import { FullFidelityPipeline } from '../processor/fullFidelityPipeline';
import { OptimizedPipeline, type Profile } from '../processor/optimized/optimizedPipeline';
import type { Pipeline, PipelineName } from '../processor/pipeline';
import { DEFAULT_PRIORITY_RULES_FILE, loadPriorityRules } from '../processor/priority/priorityClassifier';
import { TopkPipeline } from '../processor/topk/topkPipeline';
import { SeriesStore } from '../store/seriesStore';
import { KpiCalculator } from '../telemetry/kpiCalculator';
import { defaultControlState } from '../control/controlState';

/**
 * The series store and the three pipelines on it, with the KPI calculator: the state of one
 * core (or of one shard of a sharded core). No listeners, no timers: the service around it
 * owns those.
 */
export class CorePipelines {
  readonly store: SeriesStore;
  readonly pipelines: Map<PipelineName, Pipeline>;
  readonly optimized: OptimizedPipeline;
  readonly topk: TopkPipeline;
  readonly kpis: KpiCalculator;

  constructor(config: CoreConfig, clock: Clock, log: Logger) {
    this.store = new SeriesStore(config.store, clock, log.child({ component: 'store' }));
    const ff = new FullFidelityPipeline(this.store);
    const classifier = loadPriorityRules(config.priorityRulesFile ?? DEFAULT_PRIORITY_RULES_FILE);
    const initial = defaultControlState(config.targetSeries);
    this.optimized = new OptimizedPipeline(this.store, config.rollup, clock, classifier, initial.profile);
    this.topk = new TopkPipeline(this.store, config.rollup, clock, { ...config.topk, k: initial.topk.k });
    this.kpis = new KpiCalculator(this.store, this.optimized, this.topk, config.rollup.hostAttribute, clock);
    if (config.reductionEnabled) {
      // the ranker before the top-k pipeline: a new series' process is then in the ranker's slot when it is routed
      this.store.addListener(this.optimized, { pipeline: 'optimized', stage: 'route' });
      this.store.addListener(this.topk.ranker, { pipeline: 'experimental_topk', stage: 'rank' });
      this.store.addListener(this.topk, { pipeline: 'experimental_topk', stage: 'route' });
      this.store.addListener(this.kpis, { pipeline: 'kpis', stage: 'observe' });
    }
    this.pipelines = new Map<PipelineName, Pipeline>([
      ['full_fidelity', ff],
      ['optimized', this.optimized],
      ['experimental_topk', this.topk],
    ]);
  }

  /** A pipeline by name (full_fidelity for an unknown name). */
  pipeline(name: PipelineName): Pipeline {
    return this.pipelines.get(name) ?? (this.pipelines.get('full_fidelity') as Pipeline);
  }

  /** Applies the pipeline settings of a control file. */
  applyControl(profile: Profile, k: number): void {
    this.optimized.setProfile(profile);
    this.topk.setK(k);
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
}
