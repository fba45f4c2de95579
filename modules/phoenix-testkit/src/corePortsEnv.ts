import { freePorts } from '@phoenix/runtime';

/** The listener variables of phoenix-core, in the order {@link corePortsEnv} fills them. */
export const CORE_PORT_VARIABLES = [
  'PHOENIX_OTLP_GRPC_PORT',
  'PHOENIX_OTLP_HTTP_PORT',
  'PHOENIX_FULL_FIDELITY_PORT',
  'PHOENIX_OPTIMIZED_PORT',
  'PHOENIX_EXPERIMENTAL_TOPK_PORT',
  'PHOENIX_OBSERVATORY_PORT',
  'PHOENIX_ACTIVE_PORT',
  'PHOENIX_HEALTH_PORT',
] as const;

export type CorePortsEnv = Record<(typeof CORE_PORT_VARIABLES)[number], string>;

/** A free loopback port for every listener of a phoenix-core, as its environment variables. */
export async function corePortsEnv(): Promise<CorePortsEnv> {
  const ports = await freePorts(CORE_PORT_VARIABLES.length);
  return Object.fromEntries(CORE_PORT_VARIABLES.map((v, i) => [v, String(ports[i])])) as CorePortsEnv;
}
