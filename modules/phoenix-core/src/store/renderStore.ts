import type { ExpositionWriter } from '../exporter/expositionWriter';
import type { SeriesStore } from './seriesStore';
import { runSteps } from '../processor/pipeline';

/**
 * Renders every series of the full-fidelity store, unchanged (the full_fidelity pipeline). A metric
 * without a description gets its OpenTelemetry name as HELP, so every family is documented.
 * Yields every `stepSeries` series (an incremental render: see Pipeline.renderSteps).
 */
export function* renderStoreSteps(store: SeriesStore, w: ExpositionWriter, stepSeries: number): Generator<void, void, void> {
  let n = 0;
  for (const fam of store.families.values()) {
    if (fam.series.size === 0) continue;
    w.family(fam.name, fam.type, fam.help || fam.otelName);
    for (const s of fam.series.values()) {
      if (++n === stepSeries) {
        n = 0;
        yield;
      }
      switch (fam.type) {
        case 'counter':
        case 'gauge':
          w.sample(fam.name, s.labelText, s.value);
          break;
        case 'histogram':
          if (s.hist) w.histogram(fam.name, s.labelText, s.hist.bounds, s.hist.counts, s.hist.sum, s.hist.count);
          break;
        case 'summary':
          if (s.summary) w.summary(fam.name, s.labelText, s.summary.quantiles, s.summary.sum, s.summary.count);
          break;
      }
    }
  }
}

/** Renders the whole store at once. */
export function renderStore(store: SeriesStore, w: ExpositionWriter): void {
  runSteps(renderStoreSteps(store, w, Infinity));
}
