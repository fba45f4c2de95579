import type { Clock } from '@phoenix/runtime';
import { renderLabels } from '../store/labels';
import type { Increase, Series, SeriesListener } from '../store/series';
import type { SeriesStore } from '../store/seriesStore';
import { countStoreSeries } from '../store/countSeries';
import { rolledUp, type OptimizedPipeline, type Profile } from '../processor/optimized/optimizedPipeline';
import type { PipelineName } from '../processor/pipeline';
import type { RollupPipeline } from '../processor/rollup/rollupPipeline';
import type { ProcessStats } from '../processor/topk/processRanker';
import type { TopkPipeline } from '../processor/topk/topkPipeline';

export interface PipelineKpis {
  series: number;
  costReduction: number;
  /** output total / input total per host and metric family, the value furthest from 1 */
  totalsPreservation: number;
  attributionCoverage: number;
  heavyHitterRecall: number;
}

export interface Kpis {
  pipelines: Record<PipelineName, PipelineKpis>;
  optimizedSeriesByProfile: Record<Profile, number>;
  topkStreams: number;
}

const PROFILES: Profile[] = ['conservative', 'balanced', 'aggressive'];

/** The sums of the ranking signal a pipeline keeps visible (see KpiCalculator.signal). */
export interface SignalSums {
  /** ranking signal over all processes */
  total: number;
  /** of it, on individually visible processes */
  covered: number;
  /** processes among the true top-N of their host */
  top: number;
  /** of them, individually visible */
  topVisible: number;
}

/**
 * The KPIs of one part of the input, before the ratios: what a shard of a sharded core reports.
 * Shards hold disjoint hosts, so the parts combine exactly (combineKpis).
 */
export interface KpiPartial {
  series: Record<PipelineName, number>;
  /** the value furthest from 1 over the part's (host, family) pairs */
  totalsPreservation: Record<'optimized' | 'experimental_topk', number>;
  signal: Record<PipelineName, SignalSums>;
  optimizedSeriesByProfile: Record<Profile, number>;
  topkStreams: number;
}

/** The KPIs of the whole input from the KPIs of its disjoint parts. */
export function combineKpis(parts: readonly KpiPartial[]): Kpis {
  const sum = (f: (p: KpiPartial) => number): number => parts.reduce((n, p) => n + f(p), 0);
  const worst = (f: (p: KpiPartial) => number): number =>
    parts.reduce((w, p) => (Math.abs(f(p) - 1) > Math.abs(w - 1) ? f(p) : w), 1);
  const ffSeries = sum((p) => p.series.full_fidelity);
  const reduction = (n: number): number => (ffSeries === 0 ? 0 : round9(1 - n / ffSeries));
  const ratios = (name: PipelineName): { attributionCoverage: number; heavyHitterRecall: number } => {
    const total = sum((p) => p.signal[name].total);
    const top = sum((p) => p.signal[name].top);
    return {
      attributionCoverage: total === 0 ? 1 : round9(sum((p) => p.signal[name].covered) / total),
      heavyHitterRecall: top === 0 ? 1 : round9(sum((p) => p.signal[name].topVisible) / top),
    };
  };
  const optSeries = sum((p) => p.series.optimized);
  const topSeries = sum((p) => p.series.experimental_topk);
  const byProfile = {} as Record<Profile, number>;
  for (const profile of PROFILES) byProfile[profile] = sum((p) => p.optimizedSeriesByProfile[profile]);
  return {
    pipelines: {
      full_fidelity: { series: ffSeries, costReduction: 0, totalsPreservation: 1, ...ratios('full_fidelity') },
      optimized: { series: optSeries, costReduction: reduction(optSeries), totalsPreservation: worst((p) => p.totalsPreservation.optimized), ...ratios('optimized') },
      experimental_topk: {
        series: topSeries,
        costReduction: reduction(topSeries),
        totalsPreservation: worst((p) => p.totalsPreservation.experimental_topk),
        ...ratios('experimental_topk'),
      },
    },
    optimizedSeriesByProfile: byProfile,
    topkStreams: sum((p) => p.topkStreams),
  };
}

function round9(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/**
 * Computes the fidelity KPIs of the pipelines on the same input. Listens to the store to keep
 * the input totals of monotonic families (every increase ever received, per host and family),
 * which the carried-over rollups must match exactly.
 */
export class KpiCalculator implements SeriesListener {
  /** increases of monotonic series that have expired, per `host \0 family` */
  private readonly expiredIn = new Map<string, number>();
  private profileCache: { at: number; value: Record<Profile, number>; streams: number } | undefined;

  constructor(
    private readonly store: SeriesStore,
    private readonly optimized: OptimizedPipeline,
    private readonly topk: TopkPipeline,
    private readonly hostAttribute: string,
    private readonly clock: Clock,
    private readonly heavyHitters = 10,
    private readonly profileCacheMs = 5_000,
  ) {}

  onUpdate(s: Series, inc: Increase | undefined): void {
    if (inc) s.incTotal += s.family.type === 'counter' ? inc.value : inc.count;
  }

  /** Input totals keep what expired series contributed. */
  onExpire(s: Series): void {
    if (!s.family.monotonic) return;
    const k = `${this.hostOf(s)}\u0000${s.family.name}`;
    this.expiredIn.set(k, (this.expiredIn.get(k) ?? 0) + s.incTotal);
  }

  private hostOf(s: Series): string {
    return (s.hostKey ??= s.attr(this.hostAttribute) ?? '');
  }

  /** Input totals per host and family: monotonic increases ever, plus live values of summed gauges. */
  inputTotals(pipeline: RollupPipeline): Map<string, number> {
    const out = new Map(this.expiredIn);
    for (const fam of this.store.families.values()) {
      const summedGauge = fam.type === 'gauge' && pipeline.aggregationOf(fam) === 'sum';
      if (!fam.monotonic && !summedGauge) continue;
      for (const s of fam.series.values()) {
        const k = `${this.hostOf(s)}\u0000${fam.name}`;
        out.set(k, (out.get(k) ?? 0) + (fam.monotonic ? s.incTotal : s.value));
      }
    }
    return out;
  }

  /** Output totals per host and family, as the pipeline exposes them (plus carry of expired groups). */
  outputTotals(p: RollupPipeline): Map<string, number> {
    const out = new Map(p.expiredCarry);
    p.forEachGroup((g, gv) => {
      const fam = g.family;
      let v: number;
      if (fam.type === 'gauge') {
        if (p.aggregationOf(fam) !== 'sum') return;
        v = gv ?? 0;
      } else v = p.monotonicTotal(g);
      const k = `${g.host}\u0000${fam.name}`;
      out.set(k, (out.get(k) ?? 0) + v);
    });
    return out;
  }

  totalsPreservation(p: RollupPipeline): number {
    const inT = this.inputTotals(p);
    const outT = this.outputTotals(p);
    let worst = 1;
    for (const k of new Set([...inT.keys(), ...outT.keys()])) {
      const i = inT.get(k) ?? 0;
      const o = outT.get(k) ?? 0;
      const r = i === 0 && o === 0 ? 1 : i === 0 ? Infinity : round9(o / i);
      if (Math.abs(r - 1) > Math.abs(worst - 1)) worst = r;
    }
    return worst;
  }

  private signal(visible: (host: string, p: ProcessStats) => boolean): SignalSums {
    let total = 0;
    let covered = 0;
    let top = 0;
    let topVisible = 0;
    const ranker = this.topk.ranker;
    for (const [host, procs] of ranker.hosts) {
      const rated: Array<[ProcessStats, number]> = [];
      for (const p of procs.values()) {
        const r = ranker.rate(p);
        if (r > 0) rated.push([p, r]);
      }
      rated.sort((a, b) => (b[1] !== a[1] ? b[1] - a[1] : a[0].key < b[0].key ? -1 : 1));
      rated.forEach(([p, r], i) => {
        total += r;
        const v = visible(host, p);
        if (v) covered += r;
        if (i < this.heavyHitters) {
          top++;
          if (v) topVisible++;
        }
      });
    }
    return { total, covered, top, topVisible };
  }

  private predictions(): { byProfile: Record<Profile, number>; streams: number } {
    const now = this.clock.now();
    if (this.profileCache && now - this.profileCache.at < this.profileCacheMs) return { byProfile: this.profileCache.value, streams: this.profileCache.streams };
    // one pass: each series' labels are derived once; its route is the same under every profile
    // that does not roll it up, and the same under every profile that does
    const seen = PROFILES.map(() => new Map<string, number>());
    const othersCount = PROFILES.map(() => 0);
    // (host, metric stream) groups of the top-k pipeline: the label sets of its `others` series
    const streams = new Set<string>();
    const identity = this.topk.identity;
    for (const fam of this.store.families.values()) {
      for (const s of fam.series.values()) {
        const labels = s.labels;
        const width = fam.type === 'histogram' ? (s.hist?.bounds.length ?? 0) + 3 : fam.type === 'summary' ? 2 : 1;
        const cls = this.optimized.classOf(s);
        let keep: string | undefined;
        let roll: string | undefined;
        PROFILES.forEach((profile, i) => {
          const rolled = cls !== undefined && rolledUp(profile, cls);
          const key = rolled
            ? (roll ??= `${fam.name}\u0000${renderLabels(this.optimized.routeFor(s, profile, labels).labels)}`)
            : (keep ??= `${fam.name}\u0000${renderLabels(this.optimized.routeFor(s, profile, labels).labels)}`);
          if (!seen[i].has(key)) {
            seen[i].set(key, width);
            if (rolled) othersCount[i]++;
          }
        });
        if (!identity.isProcessSeries(s)) continue;
        const drop = identity.processLabelNames(s);
        let key = fam.name;
        for (let i = 0; i < labels.length; i += 2) if (!drop.has(labels[i])) key += `\u0000${labels[i]}\u0001${labels[i + 1]}`;
        streams.add(key);
      }
    }
    const byProfile = {} as Record<Profile, number>;
    PROFILES.forEach((profile, i) => {
      let n = othersCount[i];
      for (const w of seen[i].values()) n += w;
      byProfile[profile] = n;
    });
    this.profileCache = { at: now, value: byProfile, streams: streams.size };
    return { byProfile, streams: streams.size };
  }

  /** The KPIs of this calculator's input. */
  compute(): Kpis {
    return combineKpis([this.partial()]);
  }

  /** The sums and extremes the KPIs are made of (see combineKpis). */
  partial(): KpiPartial {
    const pred = this.predictions();
    return {
      series: { full_fidelity: countStoreSeries(this.store), optimized: this.optimized.countSeries(), experimental_topk: this.topk.countSeries() },
      totalsPreservation: { optimized: this.totalsPreservation(this.optimized), experimental_topk: this.totalsPreservation(this.topk) },
      signal: {
        full_fidelity: this.signal(() => true),
        optimized: this.signal((_h, p) => !this.optimized.rollsUp(p)),
        experimental_topk: this.signal((h, p) => this.topk.isIndividual(h, p.key)),
      },
      optimizedSeriesByProfile: pred.byProfile,
      topkStreams: pred.streams,
    };
  }
}
