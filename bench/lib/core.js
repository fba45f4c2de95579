'use strict';
/**
 * phoenix-core as a separate process for the benchmarks: free loopback ports, a temporary data
 * directory (control file), optional CPU pinning, wait for /health, read its resident memory.
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { freePorts, findSamples, parseExposition } = require('@phoenix/runtime');
const { packageBin } = require('../../scripts/lib/packageBin');

/** @typedef {import('@phoenix/core').CorePorts} CorePorts */
/** @typedef {keyof CorePorts} CorePort */
/** @typedef {{ code: number | null, signal: NodeJS.Signals | null }} Exit */

const CORE_MAIN = packageBin('@phoenix/core', 'phoenix-core');
// the flags the core ships with (npm start, compose): the bench measures the product as run;
// the core's own port variables (coreConfig), so the bench cannot drift from them
const { CORE_NODE_FLAGS, DEFAULT_PORTS, PORT_ENV: PORT_NAMES } = require('@phoenix/core');
/** The core's ports by name (`otlpHttp`, `fullFidelity`, ...). */
const PORT_KEYS = /** @type {CorePort[]} */ (Object.keys(PORT_NAMES));

/** @type {boolean | undefined} */
let tasksetChecked;
/** @returns {boolean} */
function hasTaskset() {
  if (tasksetChecked === undefined) {
    try {
      execFileSync('taskset', ['-V'], { stdio: 'ignore' });
      tasksetChecked = true;
    } catch {
      tasksetChecked = false;
    }
  }
  return tasksetChecked;
}

/**
 * CPU pinning (BENCH_PIN, default on with ≥ 2 CPUs and taskset): the core on CPU 0 ("one core"),
 * the load generator on the other CPUs, so neither borrows the other's CPU.
 * @returns {{ core: string, load: string } | undefined} `taskset -c` CPU lists, undefined when not pinned
 */
function pinning() {
  const cpus = os.cpus().length;
  const on = process.env.BENCH_PIN !== '0' && cpus >= 2 && hasTaskset();
  return on ? { core: '0', load: cpus === 2 ? '1' : `1-${cpus - 1}` } : undefined;
}

/**
 * Command and arguments, prefixed with `taskset -c <cpus>` when pinned.
 * @param {string | undefined} cpuList
 * @param {string[]} args node's arguments
 * @returns {{ cmd: string, args: string[] }}
 */
function pinnedCommand(cpuList, args) {
  return cpuList ? { cmd: 'taskset', args: ['-c', cpuList, process.execPath, ...args] } : { cmd: process.execPath, args };
}

/**
 * @param {number} pid
 * @returns {number} resident memory of the process (VmRSS)
 */
function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (clock ticks of 1/100 s).
 * @param {number} pid
 * @returns {number}
 */
function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}
const CLK_TCK = 100;

/**
 * Every child process the benchmarks started; killed if the bench process exits early.
 * @type {Set<import('node:child_process').ChildProcess>}
 */
const children = new Set();
/**
 * @template {import('node:child_process').ChildProcess} C
 * @param {C} child
 * @returns {C}
 */
function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });
}

/**
 * Starts phoenix-core and resolves once GET /health answers 200. `env` is added to the
 * environment (e.g. PHOENIX_REDUCTION_ENABLED=false). Retries a few times: another engineer may be
 * rebuilding dist/ while the benchmark runs.
 * @param {Record<string, string>} [env]
 * @param {{ attempts?: number }} [opts]
 * @returns {Promise<Core>}
 */
async function startCore(env = {}, { attempts = 4 } = {}) {
  /** @type {unknown} */
  let lastErr;
  for (let a = 1; a <= attempts; a++) {
    try {
      return await startCoreOnce(env);
    } catch (err) {
      lastErr = err;
      process.stderr.write(`[bench] phoenix-core did not start (attempt ${a}/${attempts}): ${/** @type {Error} */ (err).message}\n`);
      if (a < attempts) await sleep(15_000);
    }
  }
  throw lastErr;
}

/**
 * @param {Record<string, string>} extraEnv
 */
async function startCoreOnce(extraEnv) {
  const values = await freePorts(PORT_KEYS.length);
  /** @type {CorePorts} */
  const ports = { ...DEFAULT_PORTS };
  PORT_KEYS.forEach((k, i) => (ports[k] = values[i]));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-bench-'));
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, PHOENIX_LOG_LEVEL: 'warn', PHOENIX_DATA_DIR: dataDir, ...extraEnv };
  for (const k of PORT_KEYS) env[PORT_NAMES[k]] = String(ports[k]);
  const pin = pinning();
  const { cmd, args } = pinnedCommand(pin?.core, [...CORE_NODE_FLAGS, CORE_MAIN]);
  const child = track(spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'inherit'] }));
  let exited = /** @type {Exit | undefined} */ (undefined);
  child.once('exit', (code, signal) => (exited = { code, signal }));
  /** @type {(k: CorePort, p?: string) => string} */
  const url = (k, p = '/metrics') => `http://127.0.0.1:${ports[k]}${p}`;
  const health = url('health', '/health');
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`phoenix-core exited during start (code ${exited.code}, signal ${exited.signal})`);
    const ok = await fetch(health).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('phoenix-core not healthy within 30 s');
    }
    await sleep(50);
  }
  const pid = /** @type {number} */ (child.pid);
  const stop = async () => {
    if (!exited) {
      const done = new Promise((resolve) => {
        child.once('exit', resolve);
      });
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    child,
    // with taskset the spawned process execs node: same pid
    pid,
    env,
    ports,
    dataDir,
    controlFile: env.PHOENIX_CONTROL_FILE || path.join(dataDir, 'optimization_mode.yaml'),
    url,
    httpEndpoint: url('otlpHttp', '/v1/metrics'),
    grpcEndpoint: `http://127.0.0.1:${ports.otlpGrpc}`,
    rssBytes: () => rssBytes(pid),
    cpuSeconds: () => cpuSeconds(pid),
    /** @returns {Exit | undefined} how the core exited, undefined while it runs */
    get exited() {
      return exited;
    },
    stop,
  };
}

/** @typedef {Awaited<ReturnType<typeof startCoreOnce>>} Core phoenix-core started by the bench */

/**
 * The value of the first sample `name` whose labels include `labels` in a Prometheus text exposition
 * (the runtime's parser), undefined when there is none.
 * @param {string} text
 * @param {string} name
 * @param {Record<string, string>} [labels]
 * @returns {number | undefined}
 */
function sampleValue(text, name, labels = {}) {
  return findSamples(parseExposition(text, { wanted: (n) => n === name }), name, labels)[0]?.value;
}

/**
 * GET the observatory (:8891) text.
 * @param {Core} core
 * @returns {Promise<string>}
 */
async function observatory(core) {
  const res = await fetch(core.url('observatory'));
  return res.text();
}

module.exports = { track, startCore, rssBytes, cpuSeconds, sampleValue, observatory, pinning, pinnedCommand, PORT_NAMES };
