'use strict';
/**
 * The processes of the fleet benchmark: phoenix-api (its package bin, on PGlite or on a real PostgreSQL 15 the
 * testkit starts in a temp dir), one real phoenix-agent (its package bin, with its node flags), and the
 * simulated agents (bench/fleetAgents.js), each a separate process.
 */
const { fork, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('@phoenix/runtime');
const { startPostgres } = require('@phoenix/testkit');
const { packageBin } = require('../../scripts/lib/packageBin');
const { track, rssBytes, cpuSeconds } = require('./core');

const KEY = 'bench-fleet-enrollment-key-0123456789';
/** @type {(ms: number) => Promise<void>} */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until GET `url` answers 200, or throws after `timeoutMs` (or when `exited()` says the process is gone).
 * @param {string} url
 * @param {number} timeoutMs
 * @param {() => string | undefined} exited
 */
async function waitHealthy(url, timeoutMs, exited) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const gone = exited();
    if (gone) throw new Error(gone);
    if (await fetch(url).then((r) => r.status === 200, () => false)) return;
    if (Date.now() > deadline) throw new Error(`${url} not healthy within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/**
 * A supervised child: its pid, RSS and CPU, and a stop (SIGTERM, SIGKILL after 10 s).
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} name
 */
function handle(child, name) {
  /** @type {string | undefined} */
  let exited;
  child.once('exit', (code, signal) => (exited = `${name} exited (code ${code}, signal ${signal})`));
  const pid = /** @type {number} */ (child.pid);
  return {
    child,
    pid,
    exited: () => exited,
    rssBytes: () => rssBytes(pid),
    cpuSeconds: () => cpuSeconds(pid),
    async stop() {
      if (exited) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(t);
    },
  };
}

/**
 * phoenix-api on `database` ('pglite': embedded in a temp dir; 'postgres': a real PostgreSQL 15 started here).
 * The bench's own client limits are lifted: 10,000 agents come from one loopback address.
 * @param {'pglite' | 'postgres'} database
 */
async function startApi(database) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-bench-fleet-'));
  const pg = database === 'postgres' ? await startPostgres({}) : undefined;
  const port = await freePort();
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    ...process.env,
    PHOENIX_API_PORT: String(port),
    PHOENIX_BIND_ADDRESS: '127.0.0.1',
    PHOENIX_DATA_DIR: dir,
    PHOENIX_AGENT_KEY: KEY,
    PHOENIX_LOG_LEVEL: 'warn',
    PHOENIX_API_RATE_LIMIT_PER_MINUTE: '1000000',
    PHOENIX_API_AGENT_RATE_LIMIT_PER_MINUTE: '1000000',
    PHOENIX_DATABASE_POOL_MAX: '10',
  };
  delete env.PHOENIX_API_TOKEN;
  if (pg) env.PHOENIX_DATABASE_URL = pg.url;
  else delete env.PHOENIX_DATABASE_URL;
  const child = track(spawn(process.execPath, [packageBin('@phoenix/api', 'phoenix-api')], { env, stdio: ['ignore', 'inherit', 'inherit'] }));
  const h = handle(child, 'phoenix-api');
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(`${url}/health`, 60_000, h.exited);
  return {
    ...h,
    url,
    key: KEY,
    async stop() {
      await h.stop();
      await pg?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One real phoenix-agent against `apiUrl`, beside `core` (not managed by it: its CPU and memory are the agent's
 * own), with its default intervals.
 * @param {string} apiUrl
 * @param {import('./core').Core} core
 */
async function startRealAgent(apiUrl, core) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-bench-agent-'));
  const port = await freePort();
  const { AGENT_NODE_FLAGS } = require('@phoenix/agent');
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    ...process.env,
    PHOENIX_API_URL: apiUrl,
    PHOENIX_AGENT_KEY: KEY,
    PHOENIX_HOST_ID: 'bench-real-agent',
    PHOENIX_DATA_DIR: dir,
    PHOENIX_AGENT_PORT: String(port),
    PHOENIX_LOG_LEVEL: 'warn',
    PHOENIX_AGENT_MANAGE_CORE: 'false',
    PHOENIX_AGENT_MANAGE_CONTROL: 'false',
    PHOENIX_CORE_URL: core.url('observatory'),
    PHOENIX_CORE_HEALTH_URL: core.url('health', '/health'),
    PHOENIX_CORE_OTLP_URL: `http://127.0.0.1:${core.ports.otlpHttp}`,
    PHOENIX_CONTROL_URL: '',
    PHOENIX_CONTROL_FILE: core.controlFile,
  };
  const child = track(spawn(process.execPath, [...AGENT_NODE_FLAGS, packageBin('@phoenix/agent', 'phoenix-agent')], { env, stdio: ['ignore', 'inherit', 'inherit'] }));
  const h = handle(child, 'phoenix-agent');
  await waitHealthy(`http://127.0.0.1:${port}/health`, 60_000, h.exited);
  return {
    ...h,
    async stop() {
      await h.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The simulated agents' process, with a typed wait for its next message of kind `ev`.
 * @param {(msg: Record<string, unknown>) => void} onTask called for every {ev: 'task'}
 */
function startSimulator(onTask) {
  const child = track(fork(path.join(__dirname, '..', 'fleetAgents.js'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }));
  /** @type {Array<{ ev: string, resolve: (m: Record<string, unknown>) => void }>} */
  const waiting = [];
  /** @type {string | undefined} */
  let failed;
  child.on('message', (raw) => {
    const msg = /** @type {Record<string, unknown>} */ (raw);
    if (msg.ev === 'task') return onTask(msg);
    if (msg.ev === 'error') failed = String(msg.message);
    const i = waiting.findIndex((w) => w.ev === msg.ev);
    if (i >= 0) waiting.splice(i, 1)[0].resolve(msg);
  });
  child.once('exit', (code) => (failed ??= `the simulated agents exited (code ${code})`));
  return {
    pid: /** @type {number} */ (child.pid),
    /** @param {Record<string, unknown>} msg */
    send: (msg) => child.send(msg),
    /**
     * @param {string} ev
     * @param {number} timeoutMs
     * @returns {Promise<Record<string, unknown>>}
     */
    next(ev, timeoutMs) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(failed ?? `no ${ev} from the simulated agents within ${timeoutMs} ms`)), timeoutMs);
        waiting.push({ ev, resolve: (m) => (clearTimeout(t), resolve(m)) });
      });
    },
    kill: () => child.kill('SIGKILL'),
  };
}

module.exports = { startApi, startRealAgent, startSimulator, sleep };
