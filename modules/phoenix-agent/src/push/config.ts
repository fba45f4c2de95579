import { ConfigErrors } from '@phoenix/runtime';

/** The Pushgateway the agent pushes its KPIs and its own metrics to. */
export interface PushConfig {
  /** base URL (PHOENIX_PUSHGATEWAY_URL); undefined: no push */
  url: string | undefined;
  /** the grouping key's job (the instance is the host id) */
  job: string;
  timeoutSeconds: number;
}

export const defaultPushConfig: PushConfig = { url: undefined, job: 'phoenix-agent', timeoutSeconds: 5 };

export function validatePushConfig(c: PushConfig, prefix = 'push'): string[] {
  const e = new ConfigErrors();
  e.url(`${prefix}.url`, c.url, true);
  if (!/^[a-zA-Z0-9_.:-]+$/.test(c.job)) e.add(`${prefix}.job`, `must be letters, digits, '_', '.', ':' or '-' (got ${JSON.stringify(c.job)})`);
  e.number(`${prefix}.timeoutSeconds`, c.timeoutSeconds, { min: 0.05, max: 300 });
  return e.messages;
}
