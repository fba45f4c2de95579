import type { Family, HistogramState, Series } from '../../store/series';

/** One output series of a reduction pipeline: a set of input series merged into one label set. */
export class OutputGroup {
  /** live input series routed here */
  size = 0;
  /**
   * the live members themselves, for gauges (aggregated over them at render time) and summaries
   * (a group of one exposes its member's quantiles); counters and histograms only count them
   */
  readonly members: Set<Series> | undefined;
  /** monotonic families: the carried-over sum of every increase routed here */
  value = 0;
  hist: HistogramState | undefined;
  summarySum = 0;
  summaryCount = 0;
  lastUpdateMs = 0;
  constructor(
    readonly family: Family,
    /** `a="1",b="2"`; also the group's identity within its family */
    readonly labelText: string,
    readonly host: string,
    readonly others: boolean,
  ) {
    this.members = family.type === 'gauge' || family.type === 'summary' ? new Set() : undefined;
  }

  add(s: Series): void {
    this.size++;
    this.members?.add(s);
  }

  /** Removes a member (the caller knows `s` is one: its slot points here). */
  remove(s: Series): void {
    this.size--;
    this.members?.delete(s);
  }

  /** The member of a group of one whose members are kept, else undefined. */
  only(): Series | undefined {
    if (this.size !== 1 || !this.members) return undefined;
    for (const m of this.members) return m;
    return undefined;
  }
}

/** The output groups of one input family. */
export class OutFamily {
  readonly groups = new Map<string, OutputGroup>();
  constructor(readonly family: Family) {}
}
