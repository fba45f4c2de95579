import type { Clock, Logger } from '@phoenix/runtime';
import type { IngestResult, MetricsConsumer, PointRejectReason } from '../consumer/metricsConsumer';
import {
  Temporality,
  type Attr,
  type DecodedRequest,
  type HistogramPoint,
  type NumberPoint,
  type SummaryPoint,
} from '../otlp/model';
import { decodeAttributeFields } from '../otlp/protobufAttributes';
import { expToExplicit, rebucket, sameBounds } from './histogram';
import { buildLabels, renderLabels } from './labels';
import { promMetricName, promTypeOf, reservedLabel } from './naming';
import { pairsRawKey, resourceKey } from './rawAttributes';
import { Family, Series, type Increase, type SeriesListener } from './series';
import { SeriesColumns } from './seriesColumns';
import type { SeriesStoreConfig } from './seriesStoreConfig';
import { StoreListeners, type ListenerPlace, type PipelineErrorCount } from './storeListeners';

/** OTLP data point flag: FLAG_NO_RECORDED_VALUE */
const NO_RECORDED_VALUE = 1;

/**
 * The full-fidelity series store: resolves every point to its series (metric + allow-listed
 * resource attributes + point attributes), keeps exposition state (delta sums accumulated into
 * cumulative), computes the increase of monotonic series for the reduction pipelines, and
 * expires series that stop reporting. Ingest never throws: bad points are counted and reported, and
 * a point a pipeline failed on is refused (`pipeline_error`) and counted (see StoreListeners).
 */
export class SeriesStore implements MetricsConsumer {
  readonly families = new Map<string, Family>();
  private readonly listeners: StoreListeners;
  private seriesCount = 0;
  private slots = 0;
  private readonly cols = new SeriesColumns();
  private created = 0;
  private expired = 0;
  private readonly resourceAllow: Set<string>;
  private readonly inc: Increase = { value: 0, count: 0, sum: 0, buckets: undefined, bounds: undefined, reset: false };
  /** one string per attribute key, shared by every series that has it (bounded) */
  private readonly keys = new Map<string, string>();

  constructor(
    private readonly config: SeriesStoreConfig,
    private readonly clock: Clock,
    log: Logger,
  ) {
    this.resourceAllow = new Set(config.resourceLabels);
    this.listeners = new StoreListeners(log, clock);
  }

  get stalenessMs(): number {
    return this.config.stalenessMs;
  }

  /** Adds a pipeline; `place` labels its failures in phoenix_pipeline_errors_total. */
  addListener(l: SeriesListener, place: ListenerPlace): void {
    this.listeners.add(l, place);
  }

  /** Listener failures so far, per (pipeline, stage). */
  pipelineErrors(): PipelineErrorCount[] {
    return this.listeners.errors();
  }

  get size(): number {
    return this.seriesCount;
  }

  get stats(): { series: number; families: number; created: number; expired: number } {
    return { series: this.seriesCount, families: this.families.size, created: this.created, expired: this.expired };
  }

  consume(req: DecodedRequest): IngestResult {
    return this.ingest(req);
  }

  ingest(req: DecodedRequest): IngestResult {
    const res: IngestResult = { accepted: 0, rejected: 0, reasons: {}, message: '' };
    const messages: string[] = [];
    const reject = (n: number, reason: PointRejectReason, why: string): void => {
      if (n <= 0) return;
      res.rejected += n;
      res.reasons[reason] = (res.reasons[reason] ?? 0) + n;
      if (messages.length < 5) messages.push(why);
    };
    const now = this.clock.now();
    for (const rm of req.resourceMetrics) {
      // flat [key, value, …], shared by the series this request creates
      const resource: string[] = [];
      for (const a of rm.resourceAttrs) {
        if (this.resourceAllow.has(a[0])) resource.push(this.key(a[0]), a[1]);
      }
      const resKey = resourceKey(resource);
      for (const sm of rm.scopes) {
        for (const m of sm.metrics) {
          if (m.points.length === 0) continue;
          const kind = promTypeOf(m);
          if (!kind) continue;
          const { type, monotonic } = kind;
          if ((m.kind === 'sum' || m.kind === 'histogram' || m.kind === 'exponential_histogram') && m.temporality === Temporality.Unspecified) {
            reject(m.points.length, 'invalid_point', `metric "${m.name}": aggregation temporality is unspecified`);
            continue;
          }
          const name = promMetricName(m.name, m.unit, type);
          if (name === '') {
            reject(m.points.length, 'invalid_point', `metric "${m.name}": name has no valid characters`);
            continue;
          }
          let fam = this.families.get(name);
          if (fam && (fam.type !== type || fam.monotonic !== monotonic)) {
            if (fam.series.size === 0) {
              this.families.delete(name);
              fam = undefined;
            } else {
              reject(m.points.length, 'type_conflict', `metric "${m.name}" maps to ${name} which already exists as a ${fam.type}, not a ${type}`);
              continue;
            }
          }
          if (!fam) {
            fam = new Family(name, type, m.description, m.name, monotonic, this.cols);
            this.families.set(name, fam);
          } else if (m.description && fam.help !== m.description) fam.help = m.description;

          const reserved = reservedLabel(type);
          if (m.kind === 'gauge' || m.kind === 'sum') {
            const delta = m.kind === 'sum' && m.temporality === Temporality.Delta;
            for (const p of m.points) {
              const why = this.applyNumber(fam, resKey, resource, p, reserved, now, delta, monotonic);
              if (why) reject(1, why[0], `metric "${m.name}": ${why[1]}`);
              else res.accepted++;
            }
          } else if (m.kind === 'histogram' || m.kind === 'exponential_histogram') {
            const delta = m.temporality === Temporality.Delta;
            for (const raw of m.points) {
              const p = m.kind === 'histogram' ? raw as HistogramPoint : expToExplicit(raw as Parameters<typeof expToExplicit>[0]);
              if (!p) {
                reject(1, 'unsupported_kind', `metric "${m.name}": exponential histogram scale or width cannot be converted`);
                continue;
              }
              const why = this.applyHistogram(fam, resKey, resource, p, reserved, now, delta);
              if (why) reject(1, why[0], `metric "${m.name}": ${why[1]}`);
              else res.accepted++;
            }
          } else if (m.kind === 'summary') {
            for (const p of m.points) {
              const why = this.applySummary(fam, resKey, resource, p, reserved, now);
              if (why) reject(1, why[0], `metric "${m.name}": ${why[1]}`);
              else res.accepted++;
            }
          }
        }
      }
    }
    if (res.rejected > 0) {
      res.message = `${res.rejected} data point(s) rejected: ${messages.join('; ')}`;
    }
    return res;
  }

  /**
   * Finds or creates the series of a point; undefined when the series cap is reached. Known series
   * are found by the raw attribute sequence (protobuf bytes when the decoder left them undecoded);
   * only a new sequence is decoded and turned into labels. Throws ProtobufDecodeError for undecodable
   * lazy attribute bytes (the caller refuses the point).
   */
  private resolve(
    fam: Family,
    resKey: string,
    resource: readonly string[],
    p: { attrs: Attr[]; attrBuf?: Buffer; attrStart?: number; attrEnd?: number },
    reserved: string | undefined,
    now: number,
  ): Series | undefined {
    // the protobuf bytes as latin1, or the decoded pairs (see rawAttributes)
    const raw = p.attrBuf !== undefined ? p.attrBuf.toString('latin1', p.attrStart, p.attrEnd) : pairsRawKey(p.attrs);
    let inner = fam.byRaw.get(resKey);
    let s = inner?.get(raw);
    if (s) return s;
    if (p.attrBuf !== undefined) {
      p.attrs = decodeAttributeFields(p.attrBuf, p.attrStart ?? 0, p.attrEnd ?? 0, 7);
      p.attrBuf = undefined;
    }
    const point: string[] = [];
    for (const [k, v] of p.attrs) point.push(this.key(k), v);
    const labels = buildLabels(resource, point, reserved);
    const labelText = renderLabels(labels);
    s = fam.series.get(labelText);
    if (!s) {
      if (this.seriesCount >= this.config.maxSeries) return undefined;
      s = new Series(fam, labelText, resource, raw, this.cols.alloc());
      // the listeners of its first point route it with these (see Series.creating)
      s.creating = { pointAttrs: point, labels };
      s.lastSeenMs = now;
      fam.series.set(labelText, s);
      this.seriesCount++;
      this.created++;
    } else {
      const rare = (s.rare ??= {});
      if ((rare.rawKeys?.length ?? 0) >= 3) return s;
      (rare.rawKeys ??= []).push([resKey, raw]);
    }
    if (!inner) {
      inner = new Map();
      fam.byRaw.set(resKey, inner);
    }
    inner.set(raw, s);
    return s;
  }

  /** The shared copy of an attribute key (keys repeat across series; values mostly do not). */
  private key(k: string): string {
    const hit = this.keys.get(k);
    if (hit !== undefined) return hit;
    if (this.keys.size < 10_000) this.keys.set(k, k);
    return k;
  }

  private applyNumber(
    fam: Family,
    resKey: string,
    resource: readonly string[],
    p: NumberPoint,
    reserved: string | undefined,
    now: number,
    delta: boolean,
    monotonic: boolean,
  ): [PointRejectReason, string] | undefined {
    if ((p.flags & NO_RECORDED_VALUE) !== 0) return undefined;
    if (!p.hasValue) return ['invalid_point', 'data point has neither as_double nor as_int'];
    if (monotonic && !(p.value >= 0)) return ['invalid_point', `monotonic sum has a negative or NaN value ${p.value}`];
    let s: Series | undefined;
    try {
      s = this.resolve(fam, resKey, resource, p, reserved, now);
    } catch (err) {
      return ['invalid_point', `undecodable attributes: ${(err as Error).message}`];
    }
    if (!s) return ['series_limit', `series limit ${this.config.maxSeries} reached`];
    const fresh = s.updates === 0;
    if (!fresh && p.timeMs !== 0 && p.timeMs < s.lastTimeMs) return ['out_of_order', 'point is older than the last accepted point of its series'];
    const inc = this.inc;
    if (delta) {
      s.value += p.value;
      inc.value = p.value;
      inc.reset = false;
    } else {
      const reset = !fresh && (p.value < s.value || (p.startMs !== 0 && s.startMs !== 0 && p.startMs !== s.startMs));
      inc.value = fresh || reset ? p.value : p.value - s.value;
      inc.reset = reset;
      s.value = p.value;
    }
    s.startMs = p.startMs;
    if (p.timeMs > s.lastTimeMs) s.lastTimeMs = p.timeMs;
    s.lastSeenMs = now;
    s.updates++;
    return this.notify(s, monotonic ? inc : undefined);
  }

  private applyHistogram(
    fam: Family,
    resKey: string,
    resource: readonly string[],
    p: HistogramPoint,
    reserved: string | undefined,
    now: number,
    delta: boolean,
  ): [PointRejectReason, string] | undefined {
    if ((p.flags & NO_RECORDED_VALUE) !== 0) return undefined;
    const nb = p.bucketCounts.length;
    if (nb !== 0 && nb !== p.bounds.length + 1) {
      return ['invalid_point', `histogram has ${nb} bucket counts for ${p.bounds.length} bounds (need bounds + 1)`];
    }
    for (let i = 1; i < p.bounds.length; i++) {
      if (!(p.bounds[i] > p.bounds[i - 1])) return ['invalid_point', 'histogram explicit_bounds are not strictly increasing'];
    }
    let total = 0;
    for (const c of p.bucketCounts) total += c;
    if (nb !== 0 && total !== p.count) return ['invalid_point', `histogram count ${p.count} differs from the sum of its buckets ${total}`];
    const s = this.resolve(fam, resKey, resource, p, reserved, now);
    if (!s) return ['series_limit', `series limit ${this.config.maxSeries} reached`];
    const prev = s.hist;
    if (prev && p.timeMs !== 0 && p.timeMs < s.lastTimeMs) return ['out_of_order', 'point is older than the last accepted point of its series'];
    const bounds = nb === 0 ? [] : p.bounds;
    const counts = nb === 0 ? [p.count] : p.bucketCounts;
    const sum = p.hasSum ? p.sum : 0;
    const inc = this.inc;
    inc.bounds = bounds;
    if (delta) {
      inc.count = p.count;
      inc.sum = sum;
      inc.buckets = counts.slice();
      inc.reset = false;
      if (!prev) s.hist = { bounds, counts: counts.slice(), sum, count: p.count };
      else {
        const add = sameBounds(prev.bounds, bounds) ? counts : rebucket(counts, bounds, prev.bounds);
        for (let i = 0; i < add.length; i++) prev.counts[i] += add[i];
        prev.sum += sum;
        prev.count += p.count;
        inc.buckets = add.slice();
        inc.bounds = prev.bounds;
      }
    } else {
      const reset =
        prev !== undefined && (p.count < prev.count || (p.startMs !== 0 && s.startMs !== 0 && p.startMs !== s.startMs));
      if (!prev || reset) {
        inc.count = p.count;
        inc.sum = sum;
        inc.buckets = counts.slice();
      } else {
        const before = sameBounds(prev.bounds, bounds) ? prev.counts : rebucket(prev.counts, prev.bounds, bounds);
        inc.count = p.count - prev.count;
        inc.sum = sum - prev.sum;
        inc.buckets = counts.map((c, i) => Math.max(0, c - before[i]));
      }
      inc.reset = reset;
      s.hist = { bounds, counts: counts.slice(), sum, count: p.count };
    }
    s.startMs = p.startMs;
    if (p.timeMs > s.lastTimeMs) s.lastTimeMs = p.timeMs;
    s.lastSeenMs = now;
    s.updates++;
    return this.notify(s, inc);
  }

  private applySummary(
    fam: Family,
    resKey: string,
    resource: readonly string[],
    p: SummaryPoint,
    reserved: string | undefined,
    now: number,
  ): [PointRejectReason, string] | undefined {
    if ((p.flags & NO_RECORDED_VALUE) !== 0) return undefined;
    for (const [q] of p.quantiles) if (!(q >= 0 && q <= 1)) return ['invalid_point', `summary quantile ${q} is outside [0, 1]`];
    const s = this.resolve(fam, resKey, resource, p, reserved, now);
    if (!s) return ['series_limit', `series limit ${this.config.maxSeries} reached`];
    const prev = s.summary;
    if (prev && p.timeMs !== 0 && p.timeMs < s.lastTimeMs) return ['out_of_order', 'point is older than the last accepted point of its series'];
    const reset = prev !== undefined && (p.count < prev.count || (p.startMs !== 0 && s.startMs !== 0 && p.startMs !== s.startMs));
    const inc = this.inc;
    inc.count = !prev || reset ? p.count : p.count - prev.count;
    inc.sum = !prev || reset ? p.sum : p.sum - prev.sum;
    inc.buckets = undefined;
    inc.bounds = undefined;
    inc.reset = reset;
    s.summary = { count: p.count, sum: p.sum, quantiles: p.quantiles.slice().sort((a, b) => a[0] - b[0]) };
    s.startMs = p.startMs;
    if (p.timeMs > s.lastTimeMs) s.lastTimeMs = p.timeMs;
    s.lastSeenMs = now;
    s.updates++;
    return this.notify(s, inc);
  }

  /** Hands the applied point to the pipelines; a failure refuses the point (it is in the store, not in every output). */
  private notify(s: Series, inc: Increase | undefined): [PointRejectReason, string] | undefined {
    const failure = this.listeners.update(s, inc, s.lastSeenMs);
    s.creating = undefined;
    return failure === undefined ? undefined : ['pipeline_error', failure];
  }

  /**
   * A per-series slot for a pipeline's state (Series.slot/setSlot): slots 0–2 live in the series
   * itself, so the pipelines need no per-series maps or arrays.
   */
  allocSlot(): number {
    return this.slots++;
  }

  /** Removes series with no point for the staleness interval; returns how many went. */
  sweep(): number {
    const cutoff = this.clock.now() - this.config.stalenessMs;
    let n = 0;
    for (const [name, fam] of this.families) {
      for (const [key, s] of fam.series) {
        if (s.lastSeenMs < cutoff) {
          fam.series.delete(key);
          for (const [resKey, raw] of s.rawKeys()) {
            const inner = fam.byRaw.get(resKey);
            inner?.delete(raw);
            if (inner && inner.size === 0) fam.byRaw.delete(resKey);
          }
          n++;
          this.listeners.expire(s);
          this.cols.release(s.id);
        }
      }
      if (fam.series.size === 0) this.families.delete(name);
    }
    this.seriesCount -= n;
    this.expired += n;
    return n;
  }
}
