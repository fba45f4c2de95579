import type { Clock } from '@phoenix/runtime';
import type { Series } from '../../store/series';
import type { SeriesStore } from '../../store/seriesStore';
import { RollupPipeline, type Route } from '../rollup/rollupPipeline';
import type { RollupConfig } from '../rollup/rollupConfig';
import { ProcessRanker, chooseTopK } from './processRanker';
import type { TopkConfig } from './topkConfig';

/**
 * experimental_topk: per host and metric, the top k processes by the ranking signal keep their
 * own series; the rest roll into one `others` series (per remaining label set, e.g. `state`).
 * Membership is recomputed every rank interval, with hysteresis.
 */
export class TopkPipeline extends RollupPipeline {
  readonly name = 'experimental_topk' as const;
  readonly ranker: ProcessRanker;
  /** per host: process keys kept individually */
  private readonly members = new Map<string, Set<string>>();
  private k: number;

  constructor(
    store: SeriesStore,
    cfg: RollupConfig,
    clock: Clock,
    private readonly topk: TopkConfig,
  ) {
    super(store, cfg, clock);
    this.k = topk.k;
    this.ranker = new ProcessRanker(topk.rankingMetric, cfg.hostAttribute, this.identity, () => clock.now(), topk.windowMs, store.allocSlot());
  }

  get currentK(): number {
    return this.k;
  }

  /** Process keys kept individually on a host. */
  membersOf(host: string): ReadonlySet<string> {
    return this.members.get(host) ?? new Set();
  }

  isIndividual(host: string, processKey: string): boolean {
    return this.members.get(host)?.has(processKey) ?? false;
  }

  protected route(s: Series): Route {
    const pk = this.processKeyOf(s);
    if (pk === '' || this.isIndividual(this.hostOf(s), pk)) return { labels: s.labels, others: false };
    return { labels: this.outLabels(s.labels, this.identity.processLabelNames(s), true), others: true };
  }

  setK(k: number): void {
    if (k === this.k) return;
    this.k = k;
    this.recompute();
  }

  /**
   * Recomputes the member set of every host and re-routes the series of the processes whose
   * membership changed. Only those can change group: a series' route depends on its own labels and
   * on whether its process is a member. Re-routing every series of a changed host instead stalled
   * ingest for ~650 ms at 100k series on the first ranking and on every change of k.
   */
  recompute(): number {
    this.ranker.prune(this.cfg.stalenessMs);
    /** per host: the process keys that joined or left the member set */
    const flipped = new Map<string, Set<string>>();
    for (const [host, procs] of this.ranker.hosts) {
      const rates: Array<[string, number]> = [];
      for (const p of procs.values()) rates.push([p.key, this.ranker.rate(p)]);
      const prev = this.members.get(host) ?? new Set<string>();
      const next = chooseTopK(rates, prev, this.k, this.topk.margin);
      const diff = new Set<string>();
      for (const key of next) if (!prev.has(key)) diff.add(key);
      for (const key of prev) if (!next.has(key)) diff.add(key);
      if (diff.size > 0) {
        this.members.set(host, next);
        flipped.set(host, diff);
      }
    }
    for (const [host, prev] of this.members) {
      if (!this.ranker.hosts.has(host)) {
        this.members.delete(host);
        flipped.set(host, prev);
      }
    }
    if (flipped.size === 0) return 0;
    return this.reroute((s) => {
      const keys = flipped.get(this.hostOf(s));
      if (keys === undefined || s.procClass === null) return false;
      const pk = this.processKeyOf(s);
      return pk !== '' && keys.has(pk);
    });
  }

  /** A series' process key: from the ranker's slot when it knows it, else by decoding the series. */
  private processKeyOf(s: Series): string {
    return this.ranker.knownProcessKey(s) ?? this.identity.processKey(s);
  }
}
