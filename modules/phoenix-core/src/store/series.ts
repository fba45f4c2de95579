import type { PriorityClass } from '@phoenix/contracts';
import type { FlatLabels } from './labels';
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
  procClass: PriorityClass | undefined;
  /** the first [resource key, raw attribute key] that resolves to this series (see Family.byRaw) */
  rawRes = '';
  rawKey: string | undefined;
  /** further raw keys (the same attributes in another order or encoding); rare */
  moreRawKeys: Array<[string, string]> | undefined;
  constructor(
    readonly family: Family,
    /** the label set, flat (see FlatLabels) */
    readonly labels: FlatLabels,
    /** `a="1",b="2"`; also the series' identity within its family (escaping makes it unambiguous) */
    readonly labelText: string,
    /** allow-listed resource attributes, flat `[key, value, …]` with OpenTelemetry keys (shared) */
    readonly resourceAttrs: readonly string[],
    /** point attributes, flat `[key, value, …]` with OpenTelemetry keys */
    readonly pointAttrs: readonly string[],
  ) {}

  /** An attribute by its OpenTelemetry key, point attributes first. */
  attr(key: string): string | undefined {
    const p = this.pointAttrs;
    for (let i = 0; i < p.length; i += 2) if (p[i] === key) return p[i + 1];
    const r = this.resourceAttrs;
    for (let i = 0; i < r.length; i += 2) if (r[i] === key) return r[i + 1];
    return undefined;
  }

  /** Every [resource key, raw key] that resolves to this series. */
  rawKeys(): Array<[string, string]> {
    const out: Array<[string, string]> = this.rawKey === undefined ? [] : [[this.rawRes, this.rawKey]];
    if (this.moreRawKeys) out.push(...this.moreRawKeys);
    return out;
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
