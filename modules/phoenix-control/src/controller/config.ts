import { ConfigErrors } from '@phoenix/runtime';

export interface ControllerConfig {
  /** Control interval (PHOENIX_CONTROL_INTERVAL_SECONDS). */
  intervalSeconds: number;
}

export const defaultControllerConfig: ControllerConfig = { intervalSeconds: 15 };

export function validateControllerConfig(c: ControllerConfig, prefix = 'controller'): string[] {
  const e = new ConfigErrors();
  e.number(`${prefix}.intervalSeconds`, c.intervalSeconds, { min: 0, exclusiveMin: true, max: 3600 });
  return e.messages;
}
