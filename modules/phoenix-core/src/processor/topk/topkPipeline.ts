import type { Clock } from '../../clock';
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
    const pk = this.identity.processKey(s);
    if (pk === '' || this.isIndividual(this.hostOf(s), pk)) return { labels: s.labels, others: false };
    return { labels: this.outLabels(s.labels, this.identity.processLabelNames(s), true), others: true };
  }

  setK(k: number): void {
    if (k === this.k) return;
    this.k = k;
    this.recompute();
  }

  /** Recomputes the member set of every host and re-routes the series of hosts whose set changed. */
  recompute(): number {
    this.ranker.prune(this.cfg.stalenessMs);
    const changed = new Set<string>();
    for (const [host, procs] of this.ranker.hosts) {
      const rates: Array<[string, number]> = [];
      for (const p of procs.values()) rates.push([p.key, this.ranker.rate(p)]);
      const prev = this.members.get(host) ?? new Set<string>();
      const next = chooseTopK(rates, prev, this.k, this.topk.margin);
      if (next.size !== prev.size || [...next].some((k) => !prev.has(k))) {
        this.members.set(host, next);
        changed.add(host);
      }
    }
    for (const host of this.members.keys()) {
      if (!this.ranker.hosts.has(host)) {
        this.members.delete(host);
        changed.add(host);
      }
    }
    if (changed.size === 0) return 0;
    return this.reroute((s) => changed.has(this.hostOf(s)));
  }
}
