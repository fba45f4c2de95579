import { ConfigErrors } from '@phoenix/runtime';

/** How the agent runs tasks. */
export interface TasksConfig {
  /** tasks in progress at once (tasks of one type run one after the other) */
  maxConcurrent: number;
  /** finished tasks remembered for exactly-once */
  journalMaxEntries: number;
}

export const defaultTasksConfig: TasksConfig = { maxConcurrent: 4, journalMaxEntries: 1000 };

export function validateTasksConfig(c: TasksConfig, prefix = 'tasks'): string[] {
  const e = new ConfigErrors();
  e.number(`${prefix}.maxConcurrent`, c.maxConcurrent, { integer: true, min: 1, max: 20 });
  e.number(`${prefix}.journalMaxEntries`, c.journalMaxEntries, { integer: true, min: 10, max: 1_000_000 });
  return e.messages;
}
