import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A local Phoenix stack for benchmarks at a reduced time scale: the built phoenix-core, phoenix-control and
 * phoenix-generators as child processes on free loopback ports, with every interval that matters to the
 * scenarios multiplied by the time scale (so a scenario at time_scale s meets the stack it was written for):
 * control interval 5 s (the development setting), dwell 60 s, staleness 300 s, top-k window 60 s and ranking
 * every 10 s (the defaults), PID gains scaled to the interval as the control README says.
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

/** A free TCP port on the loopback address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function freePorts(n: number): Promise<number[]> {
  const out = new Set<number>();
  while (out.size < n) out.add(await freePort());
  return [...out];
}

export interface StackProcess {
  name: string;
  child: ChildProcess;
  output(): string;
  stop(graceMs?: number): Promise<number | string | null>;
}

/** Starts `node script` and waits until `healthUrl` answers 200. */
export async function startProcess(name: string, script: string, env: Record<string, string>, healthUrl: string, timeoutMs = 30_000): Promise<StackProcess> {
  if (!fs.existsSync(script)) throw new Error(`${name}: ${script} does not exist (build first: npx tsc -b)`);
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer): void => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | string | null | undefined;
  const exit = new Promise<number | string | null>((resolve) => child.on('exit', (code, signal) => resolve((exited = code ?? signal))));
  const proc: StackProcess = {
    name,
    child,
    output: () => out,
    async stop(graceMs = 5000) {
      if (exited !== undefined) return exited;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exit;
      clearTimeout(t);
      return code;
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== undefined) throw new Error(`${name} exited (${String(exited)}) before it was healthy:\n${out.slice(-4000)}`);
    const ok = await fetch(healthUrl, { signal: AbortSignal.timeout(1000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return proc;
    if (Date.now() > deadline) {
      await proc.stop(1000);
      throw new Error(`${name}: ${healthUrl} not healthy after ${timeoutMs} ms:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface LocalStackOptions {
  timeScale: number;
  /** Series budget (PHOENIX_TARGET_SERIES of core and control). */
  budget: number;
  /** Added to every process's environment (e.g. PHOENIX_VOLATILE_ATTRIBUTES for the core). */
  extraEnv?: Record<string, string>;
  /** Where the built modules are (default: this repository's modules/). */
  modulesDir?: string;
  dataDir?: string;
  token?: string;
}

export interface LocalStack {
  /** The environment phoenix-validation needs to find this stack. */
  env: Record<string, string>;
  ports: Record<'grpc' | 'http' | 'full' | 'optimized' | 'topk' | 'observatory' | 'active' | 'health' | 'controlApi' | 'observer' | 'generators', number>;
  dataDir: string;
  processes: StackProcess[];
  /** The last lines of every process's output (for failure messages). */
  output(): string;
  /** Stops the processes (generators, control, core); resolves with their exit codes. */
  stop(): Promise<Record<string, number | string | null>>;
}

/** The repository's modules/ directory (from src/stack or dist/stack). */
export function defaultModulesDir(): string {
  return path.resolve(__dirname, '../../..');
}

/** Starts core, control and generators on free ports with intervals scaled to `timeScale`. */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const modules = opts.modulesDir ?? defaultModulesDir();
  const p = await freePorts(11);
  const ports: LocalStack['ports'] = {
    grpc: p[0],
    http: p[1],
    full: p[2],
    optimized: p[3],
    topk: p[4],
    observatory: p[5],
    active: p[6],
    health: p[7],
    controlApi: p[8],
    observer: p[9],
    generators: p[10],
  };
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
  const processes: StackProcess[] = [];
  const stopAll = async (): Promise<Record<string, number | string | null>> => {
    const codes: Record<string, number | string | null> = {};
    for (const proc of [...processes].reverse()) codes[proc.name] = await proc.stop();
    return codes;
  };
  try {
    processes.push(
      await startProcess(
        'phoenix-core',
        path.join(modules, 'phoenix-core/dist/main.js'),
        {
          ...common,
          ...scaled.core,
          PHOENIX_OTLP_GRPC_PORT: String(ports.grpc),
          PHOENIX_OTLP_HTTP_PORT: String(ports.http),
          PHOENIX_FULL_FIDELITY_PORT: String(ports.full),
          PHOENIX_OPTIMIZED_PORT: String(ports.optimized),
          PHOENIX_EXPERIMENTAL_TOPK_PORT: String(ports.topk),
          PHOENIX_OBSERVATORY_PORT: String(ports.observatory),
          PHOENIX_ACTIVE_PORT: String(ports.active),
          PHOENIX_HEALTH_PORT: String(ports.health),
          ...opts.extraEnv,
        },
        `http://127.0.0.1:${ports.health}/health`,
      ),
    );
    processes.push(
      await startProcess(
        'phoenix-control',
        path.join(modules, 'phoenix-control/dist/main.js'),
        {
          ...common,
          ...scaled.control,
          PHOENIX_CORE_URL: `http://127.0.0.1:${ports.observatory}`,
          PHOENIX_CONTROL_API_PORT: String(ports.controlApi),
          PHOENIX_OBSERVER_PORT: String(ports.observer),
          ...opts.extraEnv,
        },
        `http://127.0.0.1:${ports.controlApi}/health`,
      ),
    );
    processes.push(
      await startProcess(
        'phoenix-generators',
        path.join(modules, 'phoenix-generators/dist/main.js'),
        {
          ...common,
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ports.grpc}`,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
          PHOENIX_GENERATORS_PORT: String(ports.generators),
          PHOENIX_GENERATORS_RATE_LIMIT: '100000',
          PHOENIX_GENERATORS_SCENARIO: '',
          ...opts.extraEnv,
        },
        `http://127.0.0.1:${ports.generators}/health`,
      ),
    );
  } catch (err) {
    await stopAll();
    throw err;
  }
  return {
    env: {
      PHOENIX_CORE_URL: `http://127.0.0.1:${ports.observatory}`,
      PHOENIX_FULL_FIDELITY_URL: `http://127.0.0.1:${ports.full}/metrics`,
      PHOENIX_EXPERIMENTAL_TOPK_URL: `http://127.0.0.1:${ports.topk}/metrics`,
      PHOENIX_ACTIVE_URL: `http://127.0.0.1:${ports.active}/metrics`,
      PHOENIX_OBSERVER_URL: `http://127.0.0.1:${ports.observer}`,
      PHOENIX_GENERATORS_URL: `http://127.0.0.1:${ports.generators}`,
      PHOENIX_CONTROL_URL: `http://127.0.0.1:${ports.controlApi}`,
      PHOENIX_TARGET_SERIES: String(opts.budget),
      PHOENIX_VALIDATION_FLAP_WINDOW_SECONDS: '60',
      ...(opts.token ? { PHOENIX_API_TOKEN: opts.token } : {}),
    },
    ports,
    dataDir,
    processes,
    output: () => processes.map((proc) => `--- ${proc.name} ---\n${proc.output().slice(-3000)}`).join('\n'),
    stop: stopAll,
  };
}
