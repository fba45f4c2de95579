import type { PriorityClass } from '@phoenix/contracts';
import { buildLabels, type FlatLabels } from './labels';
import { reservedLabel, type PromType } from './naming';
import { rawKeyAttributes, resourceKey } from './rawAttributes';
import type { SeriesColumns } from './seriesColumns';

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
    /** the numeric state of the store's series */
    readonly cols: SeriesColumns,
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

/**
 * One input series: metric + allow-listed resource attributes + point attributes.
 *
 * Kept small (a million of them must fit in about a kilobyte each): the label set and the point
 * attributes are not stored but derived on demand from the raw attribute key (see rawAttributes),
 * which the store needs anyway to find the series; only the rendered label text is kept. Pipelines
 * keep their per-series state in slots (see SeriesStore.allocSlot) instead of maps.
 */
export class Series {
  /** points applied so far */
  updates = 0;
  hist: HistogramState | undefined = undefined;
  summary: SummaryState | undefined = undefined;
  /** pipeline slots 0–2 (see SeriesStore.allocSlot); further slots in rare.slots */
  slot0: unknown = undefined;
  slot1: unknown = undefined;
  slot2: unknown = undefined;
  /** memo of the host the pipelines group by */
  hostKey: string | undefined = undefined;
  /** memo of the priority class; null for a series without process attributes */
  procClass: PriorityClass | null | undefined = undefined;
  /** what few series need, out of line */
  rare: SeriesRare | undefined = undefined;
  /**
   * the decoded point attributes and label set while the series is being created (its first
   * point's listeners route it); cleared after that point, then derived from rawKey on demand
   */
  creating: { pointAttrs: string[]; labels: FlatLabels } | undefined = undefined;
  constructor(
    readonly family: Family,
    /** `a="1",b="2"`; also the series' identity within its family (escaping makes it unambiguous) */
    readonly labelText: string,
    /** allow-listed resource attributes, flat `[key, value, …]` with OpenTelemetry keys (shared) */
    readonly resourceAttrs: readonly string[],
    /** the raw attribute key that created the series (see Family.byRaw) */
    readonly rawKey: string,
    /** index of the numeric state in family.cols */
    readonly id: number,
  ) {}

  /** clock time of the last accepted point (drives staleness) */
  get lastSeenMs(): number {
    return this.family.cols.get(this.id, 0);
  }
  set lastSeenMs(v: number) {
    this.family.cols.set(this.id, 0, v);
  }

  /** timestamp of the last accepted point (drives out-of-order detection) */
  get lastTimeMs(): number {
    return this.family.cols.get(this.id, 1);
  }
  set lastTimeMs(v: number) {
    this.family.cols.set(this.id, 1, v);
  }

  get startMs(): number {
    return this.family.cols.get(this.id, 2);
  }
  set startMs(v: number) {
    this.family.cols.set(this.id, 2, v);
  }

  get value(): number {
    return this.family.cols.get(this.id, 3);
  }
  set value(v: number) {
    this.family.cols.set(this.id, 3, v);
  }

  /** Σ of every increase of this monotonic series (counter value, or histogram/summary count) */
  get incTotal(): number {
    return this.family.cols.get(this.id, 4);
  }
  set incTotal(v: number) {
    this.family.cols.set(this.id, 4, v);
  }

  /** The resource key that created the series (see Family.byRaw). */
  get rawRes(): string {
    return resourceKey(this.resourceAttrs);
  }

  /** Point attributes, flat `[key, value, …]` with OpenTelemetry keys, in their original order. */
  get pointAttrs(): readonly string[] {
    return this.creating?.pointAttrs ?? rawKeyAttributes(this.rawKey);
  }

  /** The label set, flat (see FlatLabels). */
  get labels(): FlatLabels {
    return this.creating?.labels ?? buildLabels(this.resourceAttrs, this.pointAttrs, reservedLabel(this.family.type));
  }

  /** An attribute by its OpenTelemetry key, point attributes first. */
  attr(key: string): string | undefined {
    const p = this.pointAttrs;
    for (let i = 0; i < p.length; i += 2) if (p[i] === key) return p[i + 1];
    const r = this.resourceAttrs;
    for (let i = 0; i < r.length; i += 2) if (r[i] === key) return r[i + 1];
    return undefined;
  }

  slot(i: number): unknown {
    switch (i) {
      case 0:
        return this.slot0;
      case 1:
        return this.slot1;
      case 2:
        return this.slot2;
      default:
        return this.rare?.slots?.[i - 3];
    }
  }

  setSlot(i: number, v: unknown): void {
    switch (i) {
      case 0:
        this.slot0 = v;
        break;
      case 1:
        this.slot1 = v;
        break;
      case 2:
        this.slot2 = v;
        break;
      default:
        ((this.rare ??= {}).slots ??= [])[i - 3] = v;
    }
  }

  /** Every [resource key, raw key] that resolves to this series. */
  rawKeys(): Array<[string, string]> {
    const out: Array<[string, string]> = [[this.rawRes, this.rawKey]];
    if (this.rare?.rawKeys) out.push(...this.rare.rawKeys);
    return out;
  }
}

/** Series state few series have. */
export interface SeriesRare {
  /** pipeline slots from 3 on */
  slots?: unknown[];
  /** further [resource key, raw key] pairs of the series (the same attributes in another order or encoding) */
  rawKeys?: Array<[string, string]>;
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
