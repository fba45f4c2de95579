import path from 'node:path';
import { ConfigErrors } from '@phoenix/runtime';

export interface ControlFileWriterConfig {
  /** Path of optimization_mode.yaml (PHOENIX_CONTROL_FILE). */
  path: string;
}

export const defaultControlFileWriterConfig: ControlFileWriterConfig = {
  path: path.join('data', 'optimization_mode.yaml'),
};

export function validateControlFileWriterConfig(c: ControlFileWriterConfig, prefix = 'controlFile'): string[] {
  const e = new ConfigErrors();
  e.nonEmpty(`${prefix}.path`, c.path);
  if (typeof c.path === 'string' && c.path.endsWith(path.sep)) e.add(`${prefix}.path`, `must name a file, not a directory (got ${c.path})`);
  return e.messages;
}
