#!/usr/bin/env node
'use strict';
/**
 * `npm start`: runs the Phoenix services as supervised local processes on loopback with the
 * default ports (every port and path can be changed through the environment, see README).
 * Prints the endpoints, restarts a crashed child with exponential backoff, and on Ctrl-C / SIGTERM
 * stops every child (SIGTERM, then SIGKILL after 10 s) before exiting.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dataDir = path.resolve(root, process.env.PHOENIX_DATA_DIR || 'data');
fs.mkdirSync(dataDir, { recursive: true });
const env = {
  ...process.env,
  PHOENIX_DATA_DIR: dataDir,
  PHOENIX_CONTROL_FILE: process.env.PHOENIX_CONTROL_FILE || path.join(dataDir, 'optimization_mode.yaml'),
};
const port = (name, def) => env[name] || String(def);
const host = env.PHOENIX_BIND_ADDRESS || '127.0.0.1';

/** The services, in start order; a module whose build output is missing is skipped with a note. */
const services = [
  {
    name: 'phoenix-core',
    script: 'modules/phoenix-core/dist/main.js',
    endpoints: [
      `OTLP/gRPC            ${host}:${port('PHOENIX_OTLP_GRPC_PORT', 4317)}`,
      `OTLP/HTTP            http://${host}:${port('PHOENIX_OTLP_HTTP_PORT', 4318)}/v1/metrics`,
      `full_fidelity        http://${host}:${port('PHOENIX_FULL_FIDELITY_PORT', 8888)}/metrics`,
      `optimized            http://${host}:${port('PHOENIX_OPTIMIZED_PORT', 8889)}/metrics`,
      `experimental_topk    http://${host}:${port('PHOENIX_EXPERIMENTAL_TOPK_PORT', 8890)}/metrics`,
      `observatory          http://${host}:${port('PHOENIX_OBSERVATORY_PORT', 8891)}/metrics`,
      `active output        http://${host}:${port('PHOENIX_ACTIVE_PORT', 8892)}/metrics`,
      `health               http://${host}:${port('PHOENIX_HEALTH_PORT', 13133)}/health`,
    ],
  },
  {
    name: 'phoenix-control',
    script: 'modules/phoenix-control/dist/main.js',
    endpoints: [
      `observer             http://${host}:${port('PHOENIX_OBSERVER_PORT', 9888)}/metrics`,
      `control API          http://${host}:${port('PHOENIX_CONTROL_API_PORT', 8080)}/api/v1/status`,
    ],
  },
  {
    name: 'phoenix-generators',
    script: 'modules/phoenix-generators/dist/main.js',
    // the generators start the `steady` profile unless told otherwise (empty: stay idle until the API is used)
    env: { PHOENIX_GENERATORS_SCENARIO: process.env.PHOENIX_GENERATORS_SCENARIO ?? 'steady' },
    endpoints: [`load control API     http://${host}:${port('PHOENIX_GENERATORS_PORT', 8082)}/api/v1/load`],
  },
].filter((s) => {
  if (fs.existsSync(path.join(root, s.script))) return true;
  if (process.env.PHOENIX_START_ONLY === undefined) console.log(`[phoenix] ${s.name}: not built (${s.script} missing), skipped`);
  return false;
});

const only = process.env.PHOENIX_START_ONLY ? new Set(process.env.PHOENIX_START_ONLY.split(',')) : undefined;
const running = new Map();
let stopping = false;

function start(svc, attempt = 0) {
  const childEnv = { ...env, ...(svc.env || {}) };
  if (childEnv.PHOENIX_GENERATORS_SCENARIO === '') delete childEnv.PHOENIX_GENERATORS_SCENARIO;
  const child = spawn(process.execPath, [path.join(root, svc.script)], { env: childEnv, stdio: ['ignore', 'inherit', 'inherit'] });
  const startedAt = Date.now();
  running.set(svc.name, child);
  child.on('exit', (code, signal) => {
    running.delete(svc.name);
    if (stopping) return;
    const healthy = Date.now() - startedAt > 30_000;
    const next = healthy ? 0 : attempt + 1;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(next, 6));
    console.log(`[phoenix] ${svc.name} exited (${code ?? signal}); restarting in ${delay} ms`);
    setTimeout(() => !stopping && start(svc, next), delay).unref();
  });
}

function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`[phoenix] ${signal}: stopping ${[...running.keys()].join(', ') || 'nothing'}`);
  for (const child of running.values()) child.kill('SIGTERM');
  const deadline = setTimeout(() => {
    for (const child of running.values()) child.kill('SIGKILL');
  }, 10_000);
  const check = setInterval(() => {
    if (running.size === 0) {
      clearInterval(check);
      clearTimeout(deadline);
      process.exit(0);
    }
  }, 50);
}

process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

console.log(`[phoenix] data directory ${dataDir}; control file ${env.PHOENIX_CONTROL_FILE}`);
for (const svc of services) {
  if (only && !only.has(svc.name)) continue;
  start(svc);
  for (const e of svc.endpoints) console.log(`[phoenix]   ${svc.name.padEnd(20)} ${e}`);
}
