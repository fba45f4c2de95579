import { ConfigErrors } from '@phoenix/runtime';

/** The agent's only listener: its /metrics and /health. */
export interface HttpConfig {
  port: number;
  bindAddress: string;
}

export const defaultHttpConfig: HttpConfig = { port: 8085, bindAddress: '127.0.0.1' };

export function validateHttpConfig(c: HttpConfig, prefix = 'http'): string[] {
  const e = new ConfigErrors();
  e.port(`${prefix}.port`, c.port);
  e.nonEmpty(`${prefix}.bindAddress`, c.bindAddress);
  return e.messages;
}
