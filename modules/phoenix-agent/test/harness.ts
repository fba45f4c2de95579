/** Shared pieces of the agent's integration tests: the real phoenix-core on free ports, OTLP data for it, agent configs. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseExposition, type Sample } from '@phoenix/runtime';
import { spawnService, type SpawnedService } from '@phoenix/testkit';
import { loadConfig, type AgentConfig } from '../src/config';
import { AGENT_NODE_FLAGS } from '../src/nodeFlags';

export const ROOT = path.resolve(__dirname, '../../..');
export const CORE_MAIN = path.join(ROOT, 'modules/phoenix-core/dist/main.js');
export const CONTROL_MAIN = path.join(ROOT, 'modules/phoenix-control/dist/main.js');
export const AGENT_MAIN = path.join(ROOT, 'modules/phoenix-agent/dist/main.js');

export function requireBuilt(...files: string[]): void {
  for (const f of files) if (!fs.existsSync(f)) throw new Error(`${f} is missing: build first (npx tsc -b at the repository root)`);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `phoenix-agent-${prefix}-`));
}

/** The core's port variables on free ports (the agent derives the core's URLs from the same variables). */

export interface CoreUrls {
  observatory: string;
  health: string;
  otlpHttp: string;
}

export function coreUrls(env: Record<string, string>): CoreUrls {
  return {
    observatory: `http://127.0.0.1:${env.PHOENIX_OBSERVATORY_PORT}/metrics`,
    health: `http://127.0.0.1:${env.PHOENIX_HEALTH_PORT}/health`,
    otlpHttp: `http://127.0.0.1:${env.PHOENIX_OTLP_HTTP_PORT}`,
  };
}

/** The real phoenix-core, started on its own (the agent's unmanaged mode). */
export async function startCore(env: Record<string, string>, dataDir: string): Promise<SpawnedService> {
  requireBuilt(CORE_MAIN);
  return spawnService(
    CORE_MAIN,
    { PHOENIX_BIND_ADDRESS: '127.0.0.1', PHOENIX_DATA_DIR: dataDir, PHOENIX_CONTROL_FILE: path.join(dataDir, 'optimization_mode.yaml'), PHOENIX_LOG_LEVEL: 'warn', ...env },
    { healthUrl: `http://127.0.0.1:${env.PHOENIX_HEALTH_PORT}/health`, timeoutMs: 30_000 },
  );
}

/** The core's observatory samples now. */
export async function observatory(urls: CoreUrls): Promise<Sample[]> {
  return parseExposition(await (await fetch(urls.observatory)).text()).samples;
}

export function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

/** An OTLP/HTTP JSON export of `processes` gauge series per host into the core. */
export async function sendOtlp(urls: CoreUrls, hosts: number, processes: number): Promise<void> {
  const now = `${BigInt(Date.now()) * 1_000_000n}`;
  const resourceMetrics = Array.from({ length: hosts }, (_h, h) => ({
    resource: { attributes: [{ key: 'host.name', value: { stringValue: `sim-${h}` } }, { key: 'service.name', value: { stringValue: 'agent-test' } }] },
    scopeMetrics: [
      {
        scope: { name: 'agent-test' },
        metrics: [
          {
            name: 'process.memory.usage',
            unit: 'By',
            gauge: {
              dataPoints: Array.from({ length: processes }, (_p, p) => ({
                timeUnixNano: now,
                asDouble: 1000 + p,
                attributes: [
                  { key: 'process.executable.name', value: { stringValue: `proc-${p}` } },
                  { key: 'process.pid', value: { intValue: String(100 + p) } },
                ],
              })),
            },
          },
        ],
      },
    ],
  }));
  const res = await fetch(`${urls.otlpHttp}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceMetrics }) });
  if (res.status !== 200) throw new Error(`OTLP export: HTTP ${res.status} ${await res.text()}`);
}

/** An agent config from an environment, as main builds it; throws with the problems when it is invalid. */
export function agentConfig(env: Record<string, string>): AgentConfig {
  const { config, errors } = loadConfig({ PHOENIX_LOG_LEVEL: 'debug', ...env });
  if (errors.length > 0) throw new Error(`invalid agent config: ${errors.join('; ')}`);
  return config;
}

/** phoenix-agent as a real process (dist/main.js, with its launch flags). */
export interface AgentProcess {
  pid: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: string | null }>;
  kill(signal: NodeJS.Signals): void;
}

export function spawnAgent(env: Record<string, string>): AgentProcess {
  requireBuilt(AGENT_MAIN);
  const child = spawn(process.execPath, [...AGENT_NODE_FLAGS, AGENT_MAIN], { env: { ...process.env, PHOENIX_LOG_LEVEL: 'debug', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer): void => {
    out = (out + b.toString()).slice(-500_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { pid: child.pid ?? 0, output: () => out, exited, kill: (s) => child.kill(s) };
}
