import type { ExpositionWriter } from '../exporter/expositionWriter';

export type PipelineName = 'full_fidelity' | 'optimized' | 'experimental_topk';

export const PIPELINE_NAMES: readonly PipelineName[] = ['full_fidelity', 'optimized', 'experimental_topk'];

/** A pipeline's output as the Prometheus exporters see it. */
export interface Pipeline {
  readonly name: PipelineName;
  /** writes the pipeline's current output */
  render(w: ExpositionWriter): void;
  /** the same, in steps of about RENDER_STEP_SERIES series (what the exporters stream) */
  renderSteps(w: ExpositionWriter): Generator<void, void, void>;
}

/** Series an incremental render writes per step. */
export const RENDER_STEP_SERIES = 1024;

/** Runs every step of an incremental render. */
export function runSteps(steps: Iterator<unknown>): void {
  while (!steps.next().done) {
    /* next step */
  }
}
