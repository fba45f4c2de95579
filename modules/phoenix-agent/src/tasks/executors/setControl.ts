import { validateTaskSetControl, type TaskSetControl } from '@phoenix/contracts';
import { sleep, type Clock } from '@phoenix/runtime';
import type { ControlApplier } from '../../control/applier';
import { succeeded, type TaskExecutor, type TaskOutcome } from '../types';

export interface SetControlDeps {
  applier: ControlApplier;
  clock: Clock;
  /** the generation in force on the core (its observatory), undefined when it does not answer */
  coreGeneration: () => Promise<number | undefined>;
  /** how long to wait for the core to load a control file just written */
  confirmTimeoutMs: number;
}

/** set_control: the host's allocation and/or an operator's explicit setting (see ControlApplier). */
export function setControlExecutor(d: SetControlDeps): TaskExecutor<TaskSetControl> {
  return {
    type: 'set_control',
    validate: validateTaskSetControl,
    unsupported: () => undefined,
    async run(config, ctx): Promise<TaskOutcome> {
      const outcome = await d.applier.apply(config, ctx.signal);
      if (outcome.status !== 'succeeded' || outcome.result.via !== 'control_file' || outcome.result.written !== true) return outcome;
      // the file is written (that is the task); say whether the core has loaded it yet
      const generation = outcome.result.generation as number;
      const end = d.clock.now() + d.confirmTimeoutMs;
      let seen: number | undefined;
      while (!ctx.signal.aborted) {
        seen = await d.coreGeneration();
        // a core that does not answer loads the file when it starts: no need to wait for it
        if (seen === undefined || seen >= generation || d.clock.now() >= end) break;
        await sleep(d.clock, 250);
      }
      return succeeded({ ...outcome.result, core_generation: seen ?? null, core_loaded: seen !== undefined && seen >= generation });
    },
  };
}
