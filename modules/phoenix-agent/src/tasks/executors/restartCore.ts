import { validateTaskRestartCore, type TaskRestartCore } from '@phoenix/contracts';
import type { CoreManager } from '../../core/coreManager';
import { failed, succeeded, type TaskExecutor } from '../types';

/** restart_core: restarts the managed core and waits until it is healthy again. */
export function restartCoreExecutor(core: CoreManager, healthyTimeoutMs: number): TaskExecutor<TaskRestartCore> {
  return {
    type: 'restart_core',
    validate: validateTaskRestartCore,
    unsupported: () =>
      core.managed ? undefined : "capability restart_core not supported: this agent does not manage the host's phoenix-core (PHOENIX_AGENT_MANAGE_CORE=false)",
    async run(config, ctx) {
      const before = core.snapshot().core;
      await core.restartCore(config.reason ?? `restart_core task ${ctx.task.id}`);
      const healthy = await core.waitHealthy(healthyTimeoutMs, ctx.signal);
      const after = core.snapshot().core;
      const result = { pid_before: before?.pid ?? null, pid_after: after?.pid ?? null, restarts: after?.restarts ?? 0, healthy };
      if (!healthy) return failed(`phoenix-core restarted but was not healthy within ${healthyTimeoutMs / 1000} s`, true, result);
      return succeeded(result);
    },
  };
}
