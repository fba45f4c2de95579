import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChildSupervisor, freePorts } from '@phoenix/runtime';

/**
 * A local Phoenix stack for benchmarks at a reduced time scale: the built phoenix-core, phoenix-control and
 * phoenix-generators as child processes on free loopback ports, with every interval that matters to the
 * scenarios multiplied by the time scale (so a scenario at time_scale s meets the stack it was written for):
 * control interval 5 s (the development setting), dwell 60 s, staleness 300 s, top-k window 60 s and ranking
 * every 10 s (the defaults), PID gains scaled to the interval as the control README says.
 *
 * The children run under the runtime's ChildSupervisor with an IPC channel: when this process dies, each
 * service stops by itself (no orphans).
 */

export interface ScaledStackEnv {
  core: Record<string, string>;
  control: Record<string, string>;
}

const r3 = (v: number): string => String(Math.round(v * 1000) / 1000);

/** The core's and control's environment for a time scale and a budget. */
export function scaledStackEnv(timeScale: number, budget: number): ScaledStackEnv {
  const s = timeScale;
  const interval = Math.max(0.25, 5 * s);
  return {
    core: {
      PHOENIX_TARGET_SERIES: String(budget),
      PHOENIX_TOPK_WINDOW_SECONDS: r3(60 * s),
      PHOENIX_TOPK_RANK_INTERVAL_SECONDS: r3(Math.max(0.25, 10 * s)),
      PHOENIX_STALENESS_SECONDS: r3(300 * s),
      PHOENIX_SWEEP_INTERVAL_SECONDS: r3(Math.max(0.25, 10 * s)),
      PHOENIX_EMPTY_GROUP_TTL_SECONDS: r3(30 * s),
    },
    control: {
      PHOENIX_TARGET_SERIES: String(budget),
      PHOENIX_OBSERVER_INTERVAL_SECONDS: r3(interval),
      PHOENIX_CONTROL_INTERVAL_SECONDS: r3(interval),
      PHOENIX_CONTROL_DWELL_SECONDS: r3(60 * s),
      PHOENIX_PID_KI: r3(0.3 / interval),
      PHOENIX_PID_KD: r3(0.14 * interval),
    },
  };
}

/** Starts `node script` (it must exist: build first) under a supervisor and waits until `healthUrl` answers 2xx. */
export async function startStackProcess(name: string, script: string, env: Record<string, string>, healthUrl: string, timeoutMs = 30_000): Promise<ChildSupervisor> {
  if (!fs.existsSync(script)) throw new Error(`${name}: ${script} does not exist (build first: npx tsc -b)`);
  const proc = new ChildSupervisor({ name, command: process.execPath, args: [script], env, ipc: true, ready: { url: healthUrl, timeoutMs }, tailLines: 2000 });
  try {
    await proc.start();
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return proc;
}

export type StackService = 'phoenix-core' | 'phoenix-control' | 'phoenix-generators';
export const STACK_SERVICES: readonly StackService[] = ['phoenix-core', 'phoenix-control', 'phoenix-generators'];

export interface LocalStackOptions {
  timeScale: number;
  /** Series budget (PHOENIX_TARGET_SERIES of core and control). */
  budget: number;
  /** Added to every process's environment (e.g. PHOENIX_VOLATILE_ATTRIBUTES for the core). */
  extraEnv?: Record<string, string>;
  /** Which services, started in this order (default all three). */
  services?: readonly StackService[];
  /** Per service, on top of everything else (e.g. a shorter dwell for one test). */
  env?: Partial<Record<StackService, Record<string, string>>>;
  /** Where the built modules are (default: this repository's modules/). */
  modulesDir?: string;
  dataDir?: string;
  token?: string;
  /** How long each service may take to become healthy (default 30 s). */
  healthTimeoutMs?: number;
}

export type StackPorts = Record<'grpc' | 'http' | 'full' | 'optimized' | 'topk' | 'observatory' | 'active' | 'health' | 'controlApi' | 'observer' | 'generators', number>;

export interface LocalStack {
  /** The environment phoenix-validation needs to find this stack. */
  env: Record<string, string>;
  ports: StackPorts;
  dataDir: string;
  /** optimization_mode.yaml, written by control and watched by the core */
  controlFile: string;
  processes: ChildSupervisor[];
  /** The last lines of every process's output (for failure messages). */
  output(): string;
  /** Stops the processes (the last started first); resolves with their exit codes (or signal names). */
  stop(): Promise<Record<string, number | string | null>>;
}

/** The repository's modules/ directory (from src/stack or dist/stack). */
export function defaultModulesDir(): string {
  return path.resolve(__dirname, '../../..');
}

const PORT_NAMES = ['grpc', 'http', 'full', 'optimized', 'topk', 'observatory', 'active', 'health', 'controlApi', 'observer', 'generators'] as const;

/** What each service is started with: its script (under modules/), its own variables, its health URL. */
function serviceSpecs(ports: StackPorts): Record<StackService, { script: string; env: Record<string, string>; health: string }> {
  const local = (port: number, p = ''): string => `http://127.0.0.1:${port}${p}`;
  return {
    'phoenix-core': {
      script: 'phoenix-core/dist/main.js',
      env: {
        PHOENIX_OTLP_GRPC_PORT: String(ports.grpc),
        PHOENIX_OTLP_HTTP_PORT: String(ports.http),
        PHOENIX_FULL_FIDELITY_PORT: String(ports.full),
        PHOENIX_OPTIMIZED_PORT: String(ports.optimized),
        PHOENIX_EXPERIMENTAL_TOPK_PORT: String(ports.topk),
        PHOENIX_OBSERVATORY_PORT: String(ports.observatory),
        PHOENIX_ACTIVE_PORT: String(ports.active),
        PHOENIX_HEALTH_PORT: String(ports.health),
      },
      health: local(ports.health, '/health'),
    },
    'phoenix-control': {
      script: 'phoenix-control/dist/main.js',
      env: { PHOENIX_CORE_URL: local(ports.observatory), PHOENIX_CONTROL_API_PORT: String(ports.controlApi), PHOENIX_OBSERVER_PORT: String(ports.observer) },
      health: local(ports.controlApi, '/health'),
    },
    'phoenix-generators': {
      script: 'phoenix-generators/dist/main.js',
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: local(ports.grpc),
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        PHOENIX_GENERATORS_PORT: String(ports.generators),
        PHOENIX_GENERATORS_RATE_LIMIT: '100000',
        PHOENIX_GENERATORS_SCENARIO: '',
      },
      health: local(ports.generators, '/health'),
    },
  };
}

/** Starts core, control and generators (or the `services` asked for) on free ports with intervals scaled to `timeScale`. */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const modules = opts.modulesDir ?? defaultModulesDir();
  const free = await freePorts(PORT_NAMES.length);
  const ports = Object.fromEntries(PORT_NAMES.map((n, i) => [n, free[i]])) as StackPorts;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-bench-stack-'));
  const controlFile = path.join(dataDir, 'optimization_mode.yaml');
  const scaled = scaledStackEnv(opts.timeScale, opts.budget);
  const common: Record<string, string> = {
    PHOENIX_BIND_ADDRESS: '127.0.0.1',
    PHOENIX_DATA_DIR: dataDir,
    PHOENIX_CONTROL_FILE: controlFile,
    PHOENIX_LOG_LEVEL: 'warn',
    PHOENIX_ALLOW_INSECURE: 'false',
    ...(opts.token ? { PHOENIX_API_TOKEN: opts.token } : {}),
  };
  const scaledOf: Record<StackService, Record<string, string>> = { 'phoenix-core': scaled.core, 'phoenix-control': scaled.control, 'phoenix-generators': {} };
  const specs = serviceSpecs(ports);
  const processes: ChildSupervisor[] = [];
  const stopAll = async (): Promise<Record<string, number | string | null>> => {
    const codes: Record<string, number | string | null> = {};
    for (const proc of [...processes].reverse()) {
      await proc.stop();
      const e = await proc.exited();
      codes[proc.name] = e.code ?? e.signal;
    }
    return codes;
  };
  try {
    for (const name of opts.services ?? STACK_SERVICES) {
      const spec = specs[name];
      const env = { ...common, ...scaledOf[name], ...spec.env, ...opts.extraEnv, ...opts.env?.[name] };
      processes.push(await startStackProcess(name, path.join(modules, spec.script), env, spec.health, opts.healthTimeoutMs));
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  const local = (port: number, p = ''): string => `http://127.0.0.1:${port}${p}`;
  return {
    env: {
      PHOENIX_CORE_URL: local(ports.observatory),
      PHOENIX_FULL_FIDELITY_URL: local(ports.full, '/metrics'),
      PHOENIX_EXPERIMENTAL_TOPK_URL: local(ports.topk, '/metrics'),
      PHOENIX_ACTIVE_URL: local(ports.active, '/metrics'),
      PHOENIX_OBSERVER_URL: local(ports.observer),
      PHOENIX_GENERATORS_URL: local(ports.generators),
      PHOENIX_CONTROL_URL: local(ports.controlApi),
      PHOENIX_TARGET_SERIES: String(opts.budget),
      PHOENIX_VALIDATION_FLAP_WINDOW_SECONDS: '60',
      ...(opts.token ? { PHOENIX_API_TOKEN: opts.token } : {}),
    },
    ports,
    dataDir,
    controlFile,
    processes,
    output: () => processes.map((proc) => `--- ${proc.name} ---\n${proc.output().slice(-3000)}`).join('\n'),
    stop: stopAll,
  };
}
