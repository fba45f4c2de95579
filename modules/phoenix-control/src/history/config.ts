import path from 'node:path';
import { ConfigErrors } from '@phoenix/runtime';

export interface HistoryConfig {
  /** SQLite file (default `${PHOENIX_DATA_DIR}/control_history.sqlite`). */
  path: string;
  /** Oldest rows beyond this many are pruned. */
  maxRows: number;
}

export const defaultHistoryConfig: HistoryConfig = {
  path: path.join('data', 'control_history.sqlite'),
  maxRows: 100000,
};

export function validateHistoryConfig(c: HistoryConfig, prefix = 'history'): string[] {
  const e = new ConfigErrors();
  e.nonEmpty(`${prefix}.path`, c.path);
  e.number(`${prefix}.maxRows`, c.maxRows, { integer: true, min: 10 });
  return e.messages;
}
