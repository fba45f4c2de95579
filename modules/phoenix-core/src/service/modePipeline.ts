import type { Mode } from '@phoenix/contracts';
import type { PipelineName } from '../processor/pipeline';

/** The pipeline feeding the active output in each mode. */
export function pipelineForMode(mode: Mode): PipelineName {
  switch (mode) {
    case 'conservative':
      return 'full_fidelity';
    case 'balanced':
      return 'optimized';
    case 'aggressive':
      return 'experimental_topk';
  }
}
