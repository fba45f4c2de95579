import type { Family, HistogramState, Series } from '../../store/series';

/** One output series of a reduction pipeline: a set of input series merged into one label set. */
export class OutputGroup {
  /** live input series routed here */
  readonly members = new Set<Series>();
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
  ) {}
}

/** The output groups of one input family. */
export class OutFamily {
  readonly groups = new Map<string, OutputGroup>();
  constructor(readonly family: Family) {}
}
