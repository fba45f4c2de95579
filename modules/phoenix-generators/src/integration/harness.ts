import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts, parseExposition, type Exposition } from '@phoenix/runtime';
import { corePortsEnv, spawnService, type SpawnedService } from '@phoenix/testkit';

/** The phoenix-core entry point (built by `npx tsc -b` at the repository root). */
export const CORE_MAIN = path.resolve(__dirname, '../../../phoenix-core/dist/main.js');
/** This module's compiled entry points. */
export const GENERATORS_DIST = path.resolve(__dirname, '../../dist');

/** A phoenix-core child process on free ports. */
export interface RunningCore {
  svc: SpawnedService;
  grpcUrl: string;
  httpUrl: string;
  fullFidelityUrl: string;
  observatoryUrl: string;
  stop(): Promise<void>;
}

function requireBuilt(file: string, what: string): void {
  if (!fs.existsSync(file)) {
    throw new Error(`${file} does not exist: ${what} is not built. Run \`npx tsc -b\` at the repository root first.`);
  }
}

/** Starts the real phoenix-core (free ports for every listener, a temporary data dir) and waits for /health. */
export async function startCore(env: Record<string, string> = {}): Promise<RunningCore> {
  requireBuilt(CORE_MAIN, 'phoenix-core');
  const ports = await corePortsEnv();
  const [grpc, http, ff, obs, health] = ['PHOENIX_OTLP_GRPC_PORT', 'PHOENIX_OTLP_HTTP_PORT', 'PHOENIX_FULL_FIDELITY_PORT', 'PHOENIX_OBSERVATORY_PORT', 'PHOENIX_HEALTH_PORT'].map((v) => ports[v as keyof typeof ports]);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-generators-core-'));
  const svc = await spawnService(
    CORE_MAIN,
    {
      PHOENIX_BIND_ADDRESS: '127.0.0.1',
      ...ports,
      PHOENIX_DATA_DIR: dataDir,
      PHOENIX_CONTROL_FILE: path.join(dataDir, 'optimization_mode.yaml'),
      PHOENIX_STALENESS_SECONDS: '300',
      PHOENIX_LOG_LEVEL: 'warn',
      ...env,
    },
    { healthUrl: `http://127.0.0.1:${health}/health`, timeoutMs: 30_000 },
  );
  return {
    svc,
    grpcUrl: `http://127.0.0.1:${grpc}`,
    httpUrl: `http://127.0.0.1:${http}`,
    fullFidelityUrl: `http://127.0.0.1:${ff}/metrics`,
    observatoryUrl: `http://127.0.0.1:${obs}/metrics`,
    async stop() {
      await svc.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts this module's service (dist/main.js) on a free port with `env`, waiting for /health. */
export async function startGeneratorsService(env: Record<string, string>): Promise<{ svc: SpawnedService; base: string }> {
  const main = path.join(GENERATORS_DIST, 'main.js');
  requireBuilt(main, 'phoenix-generators');
  const [port] = await freePorts(1);
  const svc = await spawnService(
    main,
    { PHOENIX_BIND_ADDRESS: '127.0.0.1', PHOENIX_GENERATORS_PORT: String(port), PHOENIX_LOG_LEVEL: 'warn', ...env },
    { healthUrl: `http://127.0.0.1:${port}/health`, timeoutMs: 20_000 },
  );
  return { svc, base: `http://127.0.0.1:${port}` };
}

/** Scrapes and parses a Prometheus endpoint. */
export async function scrape(url: string): Promise<Exposition> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`scrape ${url}: HTTP ${res.status}`);
  return parseExposition(await res.text());
}

/** JSON request helper. */
export async function api(base: string, method: string, p: string, body?: unknown, token?: string): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${base}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}
