import type { SeriesStore } from './seriesStore';

/** Series (sample lines) the full-fidelity exposition of the store has, without rendering it. */
export function countStoreSeries(store: SeriesStore): number {
  let n = 0;
  for (const fam of store.families.values()) {
    if (fam.type === 'counter' || fam.type === 'gauge') {
      n += fam.series.size;
      continue;
    }
    for (const s of fam.series.values()) {
      if (s.hist) n += s.hist.bounds.length + 3;
      else if (s.summary) n += s.summary.quantiles.length + 2;
    }
  }
  return n;
}
