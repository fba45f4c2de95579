import type { Mode, PriorityClass } from '@phoenix/contracts';
import type { Clock } from '@phoenix/runtime';
import type { FlatLabels } from '../../store/labels';
import { promLabelName } from '../../store/naming';
import type { Series } from '../../store/series';
import type { SeriesStore } from '../../store/seriesStore';
import type { PriorityClassifier } from '../priority/priorityClassifier';
import { RollupPipeline, type Route } from '../rollup/rollupPipeline';
import type { RollupConfig } from '../rollup/rollupConfig';

export type Profile = Mode;

/** Whether a priority class is rolled into `others` under a profile. */
export function rolledUp(profile: Profile, cls: PriorityClass): boolean {
  if (profile === 'conservative') return false;
  if (profile === 'balanced') return cls === 'low';
  return cls === 'low' || cls === 'medium';
}

/**
 * The optimized pipeline: rule-based reduction whose strength follows `profile`.
 * conservative drops volatile identity labels and re-aggregates the series that become identical;
 * balanced also rolls `low` processes into one `others` series per host and metric;
 * aggressive rolls up `medium` too. Non-process series only lose the volatile labels.
 */
export class OptimizedPipeline extends RollupPipeline {
  readonly name = 'optimized' as const;
  private readonly volatile: Set<string>;
  private profile: Profile;

  constructor(
    store: SeriesStore,
    cfg: RollupConfig,
    clock: Clock,
    private readonly classifier: PriorityClassifier,
    profile: Profile = 'balanced',
  ) {
    super(store, cfg, clock);
    this.profile = profile;
    this.volatile = new Set(cfg.volatileAttributes.map(promLabelName));
  }

  get currentProfile(): Profile {
    return this.profile;
  }

  /** Whether a process (the ranker's view of it) is rolled up under the current profile. */
  rollsUp(p: { executable: string | undefined; commandLine: string | undefined; cls?: PriorityClass }): boolean {
    return rolledUp(this.profile, (p.cls ??= this.classifier.classify(p.executable, p.commandLine)));
  }

  /** The priority class of a process series (memoized on the series), undefined for others. */
  classOf(s: Series): PriorityClass | undefined {
    if (s.procClass === undefined) {
      s.procClass = this.identity.isProcessSeries(s) ? this.classifier.classify(s.attr('process.executable.name'), s.attr('process.command_line')) : null;
    }
    return s.procClass ?? undefined;
  }

  /**
   * The route of a series under a given profile (also used to predict other profiles' cost);
   * `labels` are the series' labels, when the caller already has them.
   */
  routeFor(s: Series, profile: Profile, labels: FlatLabels = s.labels): Route {
    const cls = this.classOf(s);
    if (cls !== undefined && rolledUp(profile, cls)) {
      const drop = this.identity.processLabelNames(s);
      for (const v of this.volatile) drop.add(v);
      return { labels: this.outLabels(labels, drop, true), others: true };
    }
    return { labels: this.outLabels(labels, this.volatile, false), others: false };
  }

  protected route(s: Series): Route {
    return this.routeFor(s, this.profile);
  }

  /** Applies a new profile: every series is re-routed; accumulated rollup values are kept. */
  setProfile(profile: Profile): void {
    if (profile === this.profile) return;
    const before = this.profile;
    this.profile = profile;
    // only series whose class is rolled up under one profile and not the other can move
    this.reroute((s) => {
      const cls = this.classOf(s);
      return cls !== undefined && rolledUp(before, cls) !== rolledUp(profile, cls);
    });
  }
}
