import type { BenchmarkMissedHeavyHitter, BenchmarkProbe, BenchmarkRecall, BenchmarkRecallStats } from '@phoenix/contracts';

const MAX_MISSED = 20;

function stats(probes: readonly BenchmarkProbe[], hits: (p: BenchmarkProbe) => number, missed: (p: BenchmarkProbe) => BenchmarkMissedHeavyHitter[] | undefined): BenchmarkRecallStats {
  let eligible = 0;
  let hit = 0;
  let minRecall: number | null = null;
  let final: number | null = null;
  let counted = 0;
  const missedAll: BenchmarkMissedHeavyHitter[] = [];
  for (const p of probes) {
    if (p.eligible <= 0) continue; // nothing to score in this probe (no truth yet, or only young processes)
    const h = Math.min(hits(p), p.eligible);
    counted += 1;
    eligible += p.eligible;
    hit += h;
    const r = h / p.eligible;
    minRecall = minRecall === null ? r : Math.min(minRecall, r);
    final = r;
    for (const m of missed(p) ?? []) if (missedAll.length < MAX_MISSED) missedAll.push(m);
  }
  return { probes: counted, eligible, hits: hit, recall: eligible > 0 ? hit / eligible : null, min: minRecall, final, missed: missedAll };
}

/**
 * Heavy-hitter recall over the run's probes: the generator's true top-N processes per host that were eligible
 * (old enough to be ranked), and how many of them the active output and experimental_topk showed individually.
 * Recall = hits / eligible summed over the probes; probes with nothing eligible are left out.
 */
export function analyzeRecall(probes: readonly BenchmarkProbe[], topN: number, minAgeSeconds: number): BenchmarkRecall {
  return {
    top_n: topN,
    min_age_seconds: minAgeSeconds,
    active: stats(probes, (p) => p.active_hits, (p) => p.missed_active),
    experimental_topk: stats(probes, (p) => p.topk_hits, (p) => p.missed_topk),
  };
}
