#!/usr/bin/env node
'use strict';
/**
 * `npm start`: runs the Phoenix stack (phoenix-core, phoenix-control, the fleet's phoenix-api on embedded
 * PGlite with this host's phoenix-agent, phoenix-generators on the `steady` profile, phoenix-validation when
 * built) as supervised local processes on loopback with the default ports and one shared control file. No
 * Docker, no Prometheus, no database server: PGlite, SQLite files and the control file live in the data
 * directory. The agent runs beside the core and control (not managing their processes: this script does):
 * it registers with the API, reports the core's KPIs and hands the fleet controller's allocation to control.
 *
 * - Settings: environments/<PHOENIX_ENV>.env (development by default; production, ci), under the shell's
 *   environment (a variable set in the shell wins). Every port and path can be changed that way (README).
 * - Start: in dependency order, each service waited for on its health endpoint; the endpoints are printed
 *   once a service is healthy, then `[phoenix] ready: ...`.
 * - Each service runs under the runtime's ChildSupervisor (@phoenix/runtime, built): a crashed child is
 *   restarted with exponential backoff (0.5 s doubling up to 30 s; reset after 30 s of life).
 * - Ctrl-C / SIGTERM / SIGHUP: SIGTERM to every child (each runs in a process group of its own, so a
 *   terminal's Ctrl-C reaches only this script), SIGKILL after PHOENIX_STOP_TIMEOUT_SECONDS (10);
 *   a second Ctrl-C kills at once. The services write their files atomically (control file: temp + rename;
 *   SQLite: WAL), so a stop never leaves a half-written file. Each child has an IPC channel to this
 *   supervisor; the service main (runService) stops the service when it closes: no orphans if the
 *   supervisor dies.
 *
 * Exit codes: 0 after a clean stop, 1 when a child had to be killed, 2 for a configuration error.
 */
const fs = require('node:fs');
const path = require('node:path');
const { readEnvFile } = require('./lib/envFile');
const { packageBin } = require('./lib/packageBin');

const root = path.resolve(__dirname, '..');
/** @type {(msg: string) => void} */
const log = (msg) => console.log(`[phoenix] ${msg}`);
/** @type {(msg: string) => never} */
const fail = (msg) => {
  console.error(`[phoenix] ${msg}`);
  process.exit(2);
};

/** The runtime's ChildSupervisor (its build output: `npm start` builds first). */
function loadRuntime() {
  try {
    return require('@phoenix/runtime');
  } catch (err) {
    return fail(`@phoenix/runtime is not built (${/** @type {Error} */ (err).message.split('\n')[0]}): run npm run build first`);
  }
}

// --- settings: environments/<name>.env under the shell's environment --------------------------------------

const envName = process.env.PHOENIX_ENV || 'development';
if (!/^[A-Za-z0-9_-]+$/.test(envName)) fail(`PHOENIX_ENV: not an environment name: ${JSON.stringify(envName)}`);
const envFile = path.join(root, 'environments', `${envName}.env`);
if (!fs.existsSync(envFile)) {
  const known = fs.existsSync(path.join(root, 'environments'))
    ? fs.readdirSync(path.join(root, 'environments')).filter((f) => f.endsWith('.env')).map((f) => f.slice(0, -4))
    : [];
  fail(`PHOENIX_ENV=${envName}: ${path.relative(root, envFile)} does not exist (known: ${known.join(', ') || 'none'})`);
}
const fileVars = (() => {
  try {
    return readEnvFile(envFile);
  } catch (err) {
    return fail(/** @type {Error} */ (err).message);
  }
})();
/**
 * The merged environment; an empty value means unset (removed before a child sees it).
 * @type {NodeJS.ProcessEnv}
 */
const env = { ...fileVars, ...process.env, PHOENIX_ENV: envName };

for (const secret of ['PHOENIX_API_TOKEN', 'PHOENIX_AGENT_KEY']) {
  if (envName === 'production' && /CHANGE_ME/.test(env[secret] || '')) {
    fail(`${secret} is still the placeholder of environments/production.env: set a real one in the environment`);
  }
}

const dataDir = path.resolve(root, env.PHOENIX_DATA_DIR || 'data');
fs.mkdirSync(dataDir, { recursive: true });
env.PHOENIX_DATA_DIR = dataDir;
env.PHOENIX_CONTROL_FILE = env.PHOENIX_CONTROL_FILE ? path.resolve(root, env.PHOENIX_CONTROL_FILE) : path.join(dataDir, 'optimization_mode.yaml');

const bind = env.PHOENIX_BIND_ADDRESS || '127.0.0.1';
/** Where a client on this machine reaches a listener bound to `bind`. */
const local = bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind.includes(':') ? `[${bind}]` : bind;
/** @type {(name: string, def: number) => string} */
const port = (name, def) => (env[name] ? String(env[name]) : String(def));
const p = {
  grpc: port('PHOENIX_OTLP_GRPC_PORT', 4317),
  http: port('PHOENIX_OTLP_HTTP_PORT', 4318),
  full: port('PHOENIX_FULL_FIDELITY_PORT', 8888),
  optimized: port('PHOENIX_OPTIMIZED_PORT', 8889),
  topk: port('PHOENIX_EXPERIMENTAL_TOPK_PORT', 8890),
  observatory: port('PHOENIX_OBSERVATORY_PORT', 8891),
  active: port('PHOENIX_ACTIVE_PORT', 8892),
  health: port('PHOENIX_HEALTH_PORT', 13133),
  observer: port('PHOENIX_OBSERVER_PORT', 9888),
  control: port('PHOENIX_CONTROL_API_PORT', 8080),
  generators: port('PHOENIX_GENERATORS_PORT', 8082),
  validation: port('PHOENIX_VALIDATION_PORT', 8083),
  api: port('PHOENIX_API_PORT', 8084),
  agent: port('PHOENIX_AGENT_PORT', 8085),
};
/** @type {(portNumber: string, pathname?: string) => string} */
const url = (portNumber, pathname = '') => `http://${local}:${portNumber}${pathname}`;

// Where the services find each other (unless set): they follow the ports above.
const coreUrl = env.PHOENIX_CORE_URL || url(p.observatory);
const controlUrl = env.PHOENIX_CONTROL_URL || url(p.control);
const generatorsUrl = env.PHOENIX_GENERATORS_URL || url(p.generators);

/**
 * A service: its program (the `bin` of its package), its environment on top of the merged one, its
 * health URLs and the endpoints printed once it is healthy.
 * @typedef {object} Service
 * @property {string} name
 * @property {string} program
 * @property {() => readonly string[]} [nodeArgs]
 * @property {Record<string, string | undefined>} [env]
 * @property {string[]} health
 * @property {string[]} endpoints
 */

/**
 * The services, in start order (each waits for the previous one to be healthy).
 * @type {Service[]}
 */
const allServices = [
  {
    name: 'phoenix-core',
    program: packageBin('@phoenix/core', 'phoenix-core'),
    nodeArgs: () => require('@phoenix/core').CORE_NODE_FLAGS,
    health: [url(p.health, '/health')],
    endpoints: [
      `OTLP/gRPC            ${local}:${p.grpc}`,
      `OTLP/HTTP            ${url(p.http, '/v1/metrics')}`,
      `full_fidelity        ${url(p.full, '/metrics')}`,
      `optimized            ${url(p.optimized, '/metrics')}`,
      `experimental_topk    ${url(p.topk, '/metrics')}`,
      `observatory          ${url(p.observatory, '/metrics')}`,
      `active output        ${url(p.active, '/metrics')}`,
      `health               ${url(p.health, '/health')}`,
    ],
  },
  {
    name: 'phoenix-control',
    program: packageBin('@phoenix/control', 'phoenix-control'),
    env: { PHOENIX_CORE_URL: coreUrl },
    health: [url(p.control, '/health'), url(p.observer, '/health')],
    endpoints: [
      `observer             ${url(p.observer, '/metrics')}`,
      `control API          ${url(p.control, '/api/v1/status')}`,
    ],
  },
  {
    name: 'phoenix-api',
    program: packageBin('@phoenix/api', 'phoenix-api'),
    // one host's fleet: the fleet budget is the host's budget unless set
    env: { PHOENIX_FLEET_TARGET_SERIES: env.PHOENIX_FLEET_TARGET_SERIES || env.PHOENIX_TARGET_SERIES },
    health: [url(p.api, '/health')],
    endpoints: [
      `fleet API            ${url(p.api, '/api/v1/fleet')}`,
      `agents               ${url(p.api, '/api/v1/agents')}`,
    ],
  },
  {
    name: 'phoenix-agent',
    program: packageBin('@phoenix/agent', 'phoenix-agent'),
    nodeArgs: () => require('@phoenix/agent').AGENT_NODE_FLAGS,
    env: {
      PHOENIX_API_URL: env.PHOENIX_API_URL || url(p.api),
      PHOENIX_AGENT_MANAGE_CORE: 'false',
      PHOENIX_AGENT_MANAGE_CONTROL: 'false',
      PHOENIX_CORE_URL: coreUrl,
      PHOENIX_CORE_HEALTH_URL: env.PHOENIX_CORE_HEALTH_URL || url(p.health, '/health'),
      PHOENIX_CORE_OTLP_URL: env.PHOENIX_CORE_OTLP_URL || url(p.http),
      PHOENIX_CONTROL_URL: controlUrl,
    },
    health: [url(p.agent, '/health')],
    endpoints: [`agent health         ${url(p.agent, '/health')}`],
  },
  {
    name: 'phoenix-generators',
    program: packageBin('@phoenix/generators', 'phoenix-generators'),
    // the `steady` profile unless the environment says otherwise (empty: idle until the API is used)
    env: {
      PHOENIX_GENERATORS_SCENARIO: env.PHOENIX_GENERATORS_SCENARIO ?? 'steady',
      OTEL_EXPORTER_OTLP_ENDPOINT: env.OTEL_EXPORTER_OTLP_ENDPOINT || url(p.grpc),
    },
    health: [url(p.generators, '/health')],
    endpoints: [`load control API     ${url(p.generators, '/api/v1/load')}`],
  },
  {
    name: 'phoenix-validation',
    program: packageBin('@phoenix/validation', 'phoenix-validation'),
    env: {
      PHOENIX_CORE_URL: coreUrl,
      PHOENIX_CONTROL_URL: controlUrl,
      PHOENIX_GENERATORS_URL: generatorsUrl,
      PHOENIX_OBSERVER_URL: env.PHOENIX_OBSERVER_URL ?? url(p.observer),
    },
    health: [url(p.validation, '/health')],
    endpoints: [`benchmark API        ${url(p.validation, '/api/v1/benchmarks')}`],
  },
];

const only = env.PHOENIX_START_ONLY ? new Set(env.PHOENIX_START_ONLY.split(',').map((s) => s.trim())) : undefined;
if (only) {
  const unknown = [...only].filter((n) => !allServices.some((s) => s.name === n));
  if (unknown.length > 0) fail(`PHOENIX_START_ONLY: unknown service(s) ${unknown.join(', ')} (known: ${allServices.map((s) => s.name).join(', ')})`);
}
const services = allServices.filter((s) => {
  if (only && !only.has(s.name)) return false;
  if (fs.existsSync(s.program)) return true;
  log(`${s.name}: not built (${path.relative(root, s.program)} missing), skipped`);
  return false;
});
if (services.length === 0) fail('nothing to run: build first (npm run build)');

// --- supervision -------------------------------------------------------------------------------------------

const { ChildSupervisor } = loadRuntime();
const stopTimeoutMs = Math.max(1, Number(env.PHOENIX_STOP_TIMEOUT_SECONDS || 10)) * 1000;
const healthTimeoutMs = Math.max(1, Number(env.PHOENIX_START_TIMEOUT_SECONDS || 60)) * 1000;
/**
 * The supervisors of the services started so far, in start order.
 * @type {import('@phoenix/runtime').ChildSupervisor[]}
 */
const started = [];
let stopping = false;

/**
 * @param {Service} svc
 * @returns {NodeJS.ProcessEnv} the merged environment and the service's own, without empty values
 */
function childEnv(svc) {
  const e = { ...env, ...(svc.env || {}) };
  for (const k of Object.keys(e)) if (e[k] === '' || e[k] === undefined) delete e[k];
  return e;
}

/** @param {Service} svc */
function supervise(svc) {
  const sup = new ChildSupervisor({
    name: svc.name,
    command: process.execPath,
    args: [...(svc.nodeArgs ? svc.nodeArgs() : []), svc.program],
    cwd: root,
    env: childEnv(svc),
    inheritEnv: false,
    ipc: true,
    // Ctrl-C reaches only this script, which stops the services in its order (dependants first)
    ownProcessGroup: true,
    ready: { url: svc.health, timeoutMs: healthTimeoutMs },
    restart: true,
    stopGraceMs: stopTimeoutMs,
    onLine: (line, stream) => (stream === 'stderr' ? process.stderr : process.stdout).write(`${line}\n`),
    onSpawn: (pid, run) => {
      log(`${svc.name} started (pid ${pid})`);
      if (run > 1) sup.waitUntilReady().then(() => !stopping && log(`${svc.name} healthy again`), () => undefined);
    },
    onExit: (exit, restartInMs) => {
      const how = exit.error ?? String(exit.code ?? exit.signal);
      if (restartInMs !== undefined) log(`${svc.name} exited (${how}); restarting in ${restartInMs} ms`);
      else if (exit.killed && stopping) log(`${svc.name} still running after ${stopTimeoutMs} ms: killed`);
      else log(`${svc.name} stopped (${how})`);
    },
  });
  started.push(sup);
  return sup;
}

/** @returns {string[]} the names of the services whose process runs */
function running() {
  return started.filter((s) => s.pid !== undefined).map((s) => s.name);
}

/** @param {string} signal what asked for the stop (a signal's name, `error`) */
function stop(signal) {
  if (stopping) {
    // a second Ctrl-C: do not wait any longer
    log(`${signal} again: killing ${running().join(', ') || 'nothing'}`);
    for (const s of started) s.kill();
    return;
  }
  stopping = true;
  log(`${signal}: stopping ${running().reverse().join(', ') || 'nothing'}`);
  // dependants first; they all get the signal at once and each shuts down on its own
  Promise.all([...started].reverse().map((s) => s.stop(signal))).then(
    () => {
      const killed = started.some((s) => s.lastExit && s.lastExit.killed);
      log(killed ? 'stopped (some services had to be killed)' : 'stopped');
      process.exit(killed ? 1 : 0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGHUP', () => stop('SIGHUP'));

async function main() {
  log(`environment ${envName} (${path.relative(root, envFile)}); data directory ${dataDir}; control file ${env.PHOENIX_CONTROL_FILE}`);
  const up = [];
  for (const svc of services) {
    if (stopping) return;
    try {
      await supervise(svc).start();
      up.push(svc.name);
      log(`${svc.name} healthy`);
      for (const e of svc.endpoints) log(`  ${svc.name.padEnd(20)} ${e}`);
    } catch {
      if (stopping) return;
      log(`${svc.name} did not become healthy within ${healthTimeoutMs} ms (${svc.health.join(', ')}); continuing, it is supervised`);
    }
  }
  if (stopping) return;
  log(`ready: ${up.length}/${services.length} services healthy (${up.join(', ')}); Ctrl-C stops them`);
  if (env.PHOENIX_API_TOKEN) log('mutating REST routes need "Authorization: Bearer $PHOENIX_API_TOKEN" (see the env file)');
}

main().catch((err) => {
  console.error(err);
  stop('error');
});
