import fs from 'node:fs';
import { ConfigErrors } from '@phoenix/runtime';

/** How set_control reaches the core: through phoenix-control when one runs, else the control file. */
export interface ControlConfig {
  /** with a managed core: also run a phoenix-control for it */
  manage: boolean;
  /** phoenix-control's API; undefined: none (the agent writes the control file) */
  url: string | undefined;
  /** true when PHOENIX_CONTROL_URL was set: a control that does not answer is an error, not a reason to write the file */
  urlExplicit: boolean;
  /** bearer token of phoenix-control's mutating routes (PHOENIX_API_TOKEN) */
  token: string | undefined;
  /** the script of a managed phoenix-control (default: @phoenix/control's dist/main.js) */
  main: string;
  /** the core's control file */
  file: string;
  /** target_series of a control file the agent writes first (when there is none) */
  defaultTargetSeries: number;
  /** deadline of a call to phoenix-control */
  requestTimeoutSeconds: number;
}

export const defaultControlConfig: Pick<ControlConfig, 'manage' | 'urlExplicit' | 'defaultTargetSeries' | 'requestTimeoutSeconds'> = {
  manage: true,
  urlExplicit: false,
  defaultTargetSeries: 20000,
  requestTimeoutSeconds: 5,
};

/** The URL the agent probes for a phoenix-control when PHOENIX_CONTROL_URL is unset. */
export const DEFAULT_CONTROL_URL = 'http://127.0.0.1:8080';

export function validateControlConfig(c: ControlConfig, manageCore: boolean, prefix = 'control'): string[] {
  const e = new ConfigErrors();
  e.url(`${prefix}.url`, c.url, true);
  if (manageCore && c.manage && !c.main) e.add(`${prefix}.main`, 'is required with a managed phoenix-control (@phoenix/control is not installed here)');
  else if (manageCore && c.manage && !fs.existsSync(c.main)) e.add(`${prefix}.main`, `must be an existing file (got ${c.main})`);
  e.nonEmpty(`${prefix}.file`, c.file);
  if (c.token !== undefined && c.token.length < 16) e.add(`${prefix}.token`, `must be at least 16 characters (got ${c.token.length})`);
  e.number(`${prefix}.defaultTargetSeries`, c.defaultTargetSeries, { integer: true, min: 1 });
  e.number(`${prefix}.requestTimeoutSeconds`, c.requestTimeoutSeconds, { min: 0.05, max: 300 });
  return e.messages;
}
