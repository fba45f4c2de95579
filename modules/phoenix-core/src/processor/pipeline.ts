import type { ExpositionWriter } from '../exporter/expositionWriter';

export type PipelineName = 'full_fidelity' | 'optimized' | 'experimental_topk';

export const PIPELINE_NAMES: readonly PipelineName[] = ['full_fidelity', 'optimized', 'experimental_topk'];

/** A pipeline's output as the Prometheus exporters see it. */
export interface Pipeline {
  readonly name: PipelineName;
  /** writes the pipeline's current output */
  render(w: ExpositionWriter): void;
}
