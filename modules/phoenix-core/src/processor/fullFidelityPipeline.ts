import type { ExpositionWriter } from '../exporter/expositionWriter';
import { renderStore } from '../store/renderStore';
import type { SeriesStore } from '../store/seriesStore';
import type { Pipeline } from './pipeline';

/** Every input series, unchanged: the baseline. */
export class FullFidelityPipeline implements Pipeline {
  readonly name = 'full_fidelity' as const;
  constructor(private readonly store: SeriesStore) {}
  render(w: ExpositionWriter): void {
    renderStore(this.store, w);
  }
}
