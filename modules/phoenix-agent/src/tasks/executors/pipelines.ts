import { validateTaskDeployPipeline, validateTaskRemovePipeline, type TaskDeployPipeline, type TaskRemovePipeline } from '@phoenix/contracts';
import type { TaskExecutor } from '../types';

/** phoenix-core runs its three pipelines only; until it can run extra ones these tasks fail non-retryably. */
const notSupported = (type: string): string => `capability ${type} not supported by this host's phoenix-core`;

export function deployPipelineExecutor(): TaskExecutor<TaskDeployPipeline> {
  return {
    type: 'deploy_pipeline',
    validate: validateTaskDeployPipeline,
    unsupported: () => notSupported('deploy_pipeline'),
    run: () => Promise.reject(new Error(notSupported('deploy_pipeline'))),
  };
}

export function removePipelineExecutor(): TaskExecutor<TaskRemovePipeline> {
  return {
    type: 'remove_pipeline',
    validate: validateTaskRemovePipeline,
    unsupported: () => notSupported('remove_pipeline'),
    run: () => Promise.reject(new Error(notSupported('remove_pipeline'))),
  };
}
