import type { Attr } from '../otlp/model';
import type { LabelPairs } from './labels';
import type { PromType } from './naming';

/** A metric family of the full-fidelity store: one Prometheus name and type. */
export class Family {
  readonly series = new Map<string, Series>();
  /**
   * series by the resource key, then by the raw attribute sequence as received (its protobuf bytes,
   * or its decoded pairs): known series skip attribute decoding and label building
   */
  readonly byRaw = new Map<string, Map<string, Series>>();
  constructor(
    readonly name: string,
    readonly type: PromType,
    public help: string,
    /** the OpenTelemetry instrument name the family came from */
    readonly otelName: string,
    /** true for counters, histograms and summaries: their increases are carried over by rollups */
    readonly monotonic: boolean,
  ) {}
}

export interface HistogramState {
  bounds: number[];
  /** per-bucket (not cumulative) counts, bounds.length + 1 long */
  counts: number[];
  sum: number;
  count: number;
}

export interface SummaryState {
  count: number;
  sum: number;
  quantiles: Array<[number, number]>;
}

/** One input series: metric + allow-listed resource attributes + point attributes. */
export class Series {
  /** clock time of the last accepted point (drives staleness) */
  lastSeenMs = 0;
  /** timestamp of the last accepted point (drives out-of-order detection) */
  lastTimeMs = 0;
  startMs = 0;
  /** points applied so far */
  updates = 0;
  value = 0;
  hist: HistogramState | undefined;
  summary: SummaryState | undefined;
  /** per-pipeline slots that processors use to cache their routing of this series */
  readonly slots: unknown[] = [];
  /** Σ of every increase of this monotonic series (counter value, or histogram/summary count) */
  incTotal = 0;
  /** memo of derived identities (process key, host) computed by the pipelines */
  procKey: string | undefined;
  hostKey: string | undefined;
  /** [resource key, raw attribute key] pairs that resolve to this series (see Family.byRaw) */
  readonly rawKeys: Array<[string, string]> = [];
  constructor(
    readonly family: Family,
    readonly labels: LabelPairs,
    /** `a="1",b="2"`; also the series' identity within its family (escaping makes it unambiguous) */
    readonly labelText: string,
    /** allow-listed resource attributes, OpenTelemetry keys */
    readonly resourceAttrs: Attr[],
    /** point attributes, OpenTelemetry keys */
    readonly pointAttrs: Attr[],
  ) {}

  /** An attribute by its OpenTelemetry key, point attributes first. */
  attr(key: string): string | undefined {
    for (const [k, v] of this.pointAttrs) if (k === key) return v;
    for (const [k, v] of this.resourceAttrs) if (k === key) return v;
    return undefined;
  }
}

/**
 * What a point added to a monotonic series since the previous point: counters use `value`,
 * histograms `count`, `sum` and `buckets` (per bucket, in `bounds`), summaries `count` and `sum`.
 * A counter reset contributes the new value in full (the counter restarted from zero).
 */
export interface Increase {
  value: number;
  count: number;
  sum: number;
  buckets: number[] | undefined;
  bounds: number[] | undefined;
  reset: boolean;
}

/** The consumers of store updates: the reduction pipelines. */
export interface SeriesListener {
  /** A point was applied to `s` at clock time `now`; `inc` is set for monotonic families. Must not throw. */
  onUpdate(s: Series, inc: Increase | undefined, now: number): void;
  /** `s` was removed by the staleness sweep. Must not throw. */
  onExpire(s: Series): void;
}
