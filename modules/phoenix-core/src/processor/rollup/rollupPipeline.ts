import type { Clock } from '@phoenix/runtime';
import type { ExpositionWriter } from '../../exporter/expositionWriter';
import { escapeLabelValue, renderLabels, type FlatLabels } from '../../store/labels';
import { rebucket, sameBounds } from '../../store/histogram';
import type { Family, Increase, Series, SeriesListener } from '../../store/series';
import type { SeriesStore } from '../../store/seriesStore';
import { RENDER_STEP_SERIES, runSteps, type Pipeline, type PipelineName } from '../pipeline';
import { OutFamily, OutputGroup } from './outputGroup';
import { ProcessIdentity } from './processIdentity';
import type { GaugeAggregation, RollupConfig } from './rollupConfig';

/** Where a series goes: its output label set, and whether that is an `others` rollup. */
export interface Route {
  labels: FlatLabels;
  others: boolean;
}

/**
 * The machinery both reduction pipelines share. Each input series is routed to an output group.
 * Monotonic families (counters, histograms, summaries) accumulate the increases routed to a group,
 * so a group never decreases when a member exits, restarts or moves to another group (its
 * contribution is carried over); gauges are aggregated over the live members at render time.
 * Routing is re-evaluated eagerly whenever the pipeline's settings change (`reroute`).
 */
export abstract class RollupPipeline implements Pipeline, SeriesListener {
  abstract readonly name: PipelineName;
  protected readonly out = new Map<Family, OutFamily>();
  readonly identity: ProcessIdentity;
  /** this pipeline's slot in every series: the group it is routed to */
  private readonly slot: number;
  /** per `host \0 family`: values of removed monotonic groups (totals preservation) */
  readonly expiredCarry = new Map<string, number>();

  constructor(
    protected readonly store: SeriesStore,
    protected readonly cfg: RollupConfig,
    protected readonly clock: Clock,
  ) {
    this.identity = new ProcessIdentity(cfg);
    this.slot = store.allocSlot();
  }

  /** Decides the output labels of a series under the current settings. */
  protected abstract route(s: Series): Route;

  protected hostOf(s: Series): string {
    return (s.hostKey ??= s.attr(this.cfg.hostAttribute) ?? '');
  }

  /** Output labels: the input labels minus `drop`, plus the rollup label when `others`. */
  protected outLabels(l: FlatLabels, drop: ReadonlySet<string>, others: boolean): FlatLabels {
    const out: string[] = [];
    const name = this.cfg.rollupLabel;
    let placed = !others;
    for (let i = 0; i < l.length; i += 2) {
      // an input label of the same name gives way to the rollup label
      if (drop.has(l[i]) || (others && l[i] === name)) continue;
      if (!placed && l[i] > name) {
        out.push(name, 'others');
        placed = true;
      }
      out.push(l[i], l[i + 1]);
    }
    if (!placed) out.push(name, 'others');
    return out;
  }

  groupOf(s: Series): OutputGroup | undefined {
    return s.slot(this.slot) as OutputGroup | undefined;
  }

  private resolveGroup(s: Series): OutputGroup {
    const r = this.route(s);
    let fam = this.out.get(s.family);
    if (!fam) {
      fam = new OutFamily(s.family);
      this.out.set(s.family, fam);
    }
    const labelText = renderLabels(r.labels);
    let g = fam.groups.get(labelText);
    if (!g) {
      g = new OutputGroup(s.family, labelText, this.hostOf(s), r.others);
      g.lastUpdateMs = this.clock.now();
      fam.groups.set(labelText, g);
    }
    return g;
  }

  onUpdate(s: Series, inc: Increase | undefined, now: number): void {
    let g = s.slot(this.slot) as OutputGroup | undefined;
    if (!g) {
      g = this.resolveGroup(s);
      g.add(s);
      s.setSlot(this.slot, g);
    }
    if (inc) this.accumulate(g, s, inc);
    g.lastUpdateMs = now;
  }

  onExpire(s: Series): void {
    const g = s.slot(this.slot) as OutputGroup | undefined;
    if (g) g.remove(s);
    s.setSlot(this.slot, undefined);
  }

  private accumulate(g: OutputGroup, s: Series, inc: Increase): void {
    switch (s.family.type) {
      case 'counter':
        g.value += inc.value;
        break;
      case 'histogram': {
        if (!inc.buckets || !inc.bounds) break;
        if (!g.hist) {
          g.hist = { bounds: inc.bounds.slice(), counts: inc.buckets.slice(), sum: inc.sum, count: inc.count };
          break;
        }
        const add = sameBounds(g.hist.bounds, inc.bounds) ? inc.buckets : rebucket(inc.buckets, inc.bounds, g.hist.bounds);
        for (let i = 0; i < add.length; i++) g.hist.counts[i] += add[i];
        g.hist.sum += inc.sum;
        g.hist.count += inc.count;
        break;
      }
      case 'summary':
        g.summarySum += inc.sum;
        g.summaryCount += inc.count;
        break;
      default:
        break;
    }
  }

  /**
   * Re-evaluates the route of every input series (or those `only` selects) and moves members whose
   * group changed. Accumulated values stay with the group they were routed to (carry-over).
   */
  reroute(only?: (s: Series) => boolean): number {
    let moved = 0;
    const now = this.clock.now();
    for (const fam of this.store.families.values()) {
      for (const s of fam.series.values()) {
        if (only && !only(s)) continue;
        const cur = s.slot(this.slot) as OutputGroup | undefined;
        if (!cur) continue; // not yet seen by this pipeline
        const next = this.resolveGroup(s);
        if (next === cur) continue;
        cur.remove(s);
        next.add(s);
        next.lastUpdateMs = now;
        s.setSlot(this.slot, next);
        moved++;
      }
    }
    return moved;
  }

  /**
   * Removes groups without members once their last point is older than the empty-group TTL
   * (members that expired or moved away). Their carried values are kept in `expiredCarry`, so the
   * totals a pipeline has exposed stay accounted for.
   */
  sweep(): number {
    const cutoff = this.clock.now() - Math.min(this.cfg.emptyGroupTtlMs, this.cfg.stalenessMs);
    let n = 0;
    for (const [family, fam] of this.out) {
      for (const [key, g] of fam.groups) {
        if (g.size === 0 && g.lastUpdateMs < cutoff) {
          if (family.monotonic) {
            const k = `${g.host}\u0000${family.name}`;
            this.expiredCarry.set(k, (this.expiredCarry.get(k) ?? 0) + this.monotonicTotal(g));
          }
          fam.groups.delete(key);
          n++;
        }
      }
      if (fam.groups.size === 0) this.out.delete(family);
    }
    return n;
  }

  /** The comparable total of a monotonic group: counter value, histogram or summary count. */
  monotonicTotal(g: OutputGroup): number {
    if (g.family.type === 'counter') return g.value;
    if (g.family.type === 'histogram') return g.hist?.count ?? 0;
    return g.summaryCount;
  }

  aggregationOf(fam: Family): GaugeAggregation {
    return this.cfg.gaugeAggregationByMetric[fam.otelName] ?? this.cfg.gaugeAggregationByMetric[fam.name] ?? this.cfg.gaugeAggregation;
  }

  /** The value a gauge group exposes, aggregated over its live members; undefined when it has none. */
  gaugeValue(g: OutputGroup, agg: GaugeAggregation): number | undefined {
    const members = g.members;
    if (!members || members.size === 0) return undefined;
    let acc = agg === 'max' ? -Infinity : agg === 'min' ? Infinity : 0;
    let lastT = -Infinity;
    for (const m of members) {
      const v = m.value;
      switch (agg) {
        case 'sum':
        case 'avg':
          acc += v;
          break;
        case 'max':
          if (v > acc) acc = v;
          break;
        case 'min':
          if (v < acc) acc = v;
          break;
        case 'last':
          if (m.lastTimeMs >= lastT) {
            lastT = m.lastTimeMs;
            acc = v;
          }
          break;
      }
    }
    return agg === 'avg' ? acc / members.size : acc;
  }

  /** Visits every exposed group (gauge groups without members are not exposed). */
  forEachGroup(fn: (g: OutputGroup, gaugeValue: number | undefined) => void): void {
    for (const [family, fam] of this.out) {
      const agg = family.type === 'gauge' ? this.aggregationOf(family) : 'sum';
      for (const g of fam.groups.values()) {
        if (family.type === 'gauge') {
          const v = this.gaugeValue(g, agg);
          if (v !== undefined) fn(g, v);
        } else if (family.type !== 'histogram' || g.hist) fn(g, undefined);
      }
    }
  }

  render(w: ExpositionWriter): void {
    runSteps(this.renderSteps(w));
  }

  *renderSteps(w: ExpositionWriter): Generator<void, void, void> {
    const members: OutputGroup[] = [];
    let n = 0;
    for (const [family, fam] of this.out) {
      const agg = family.type === 'gauge' ? this.aggregationOf(family) : 'sum';
      let headed = false;
      for (const g of fam.groups.values()) {
        if (++n === RENDER_STEP_SERIES) {
          n = 0;
          yield;
        }
        let gv: number | undefined;
        if (family.type === 'gauge') {
          gv = this.gaugeValue(g, agg);
          if (gv === undefined) continue;
        } else if (family.type === 'histogram' && !g.hist) continue;
        if (!headed) {
          w.family(family.name, family.type, family.help || family.otelName);
          headed = true;
        }
        switch (family.type) {
          case 'counter':
            w.sample(family.name, g.labelText, g.value);
            break;
          case 'gauge':
            w.sample(family.name, g.labelText, gv as number);
            break;
          case 'histogram': {
            const h = g.hist as NonNullable<OutputGroup['hist']>;
            w.histogram(family.name, g.labelText, h.bounds, h.counts, h.sum, h.count);
            break;
          }
          case 'summary':
            // quantiles cannot be re-aggregated: a rolled-up summary exposes _sum and _count
            w.summary(family.name, g.labelText, g.only()?.summary?.quantiles, g.summarySum, g.summaryCount);
            break;
        }
        if (g.others && g.size > 0) members.push(g);
      }
    }
    if (members.length > 0) {
      w.family('phoenix_rollup_members', 'gauge', 'Input series held by each `others` rollup series (same labels, plus `metric`).');
      for (const g of members) {
        const sep = g.labelText === '' ? '' : ',';
        w.sample('phoenix_rollup_members', `${g.labelText}${sep}metric="${escapeLabelValue(g.family.name)}"`, g.size);
      }
    }
  }

  /** Series the pipeline's endpoint exposes, without rendering it. */
  countSeries(): number {
    let n = 0;
    this.forEachGroup((g) => {
      switch (g.family.type) {
        case 'histogram':
          n += (g.hist?.bounds.length ?? 0) + 3;
          break;
        case 'summary':
          n += 2 + (g.only()?.summary?.quantiles.length ?? 0);
          break;
        default:
          n += 1;
      }
      if (g.others && g.size > 0) n += 1;
    });
    return n;
  }
}
