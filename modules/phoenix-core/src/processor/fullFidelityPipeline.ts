import type { ExpositionWriter } from '../exporter/expositionWriter';
import { renderStoreSteps } from '../store/renderStore';
import type { SeriesStore } from '../store/seriesStore';
import { RENDER_STEP_SERIES, runSteps, type Pipeline } from './pipeline';

/** Every input series, unchanged: the baseline. */
export class FullFidelityPipeline implements Pipeline {
  readonly name = 'full_fidelity' as const;
  constructor(private readonly store: SeriesStore) {}
  render(w: ExpositionWriter): void {
    runSteps(this.renderSteps(w));
  }

  renderSteps(w: ExpositionWriter): Generator<void, void, void> {
    return renderStoreSteps(this.store, w, RENDER_STEP_SERIES);
  }
}
