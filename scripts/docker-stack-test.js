#!/usr/bin/env node
'use strict';
/**
 * The Docker test of the full stack (run by .ci/run; by hand: `node scripts/docker-stack-test.js`, as root or a
 * member of the docker group, after scripts/offline-images.sh where no registry is reachable).
 *
 *   1. `docker-compose up -d --build` (environment ci, without the grafana profile; every published port a
 *      free loopback port chosen here, so nothing assumes the defaults are free);
 *   2. every service healthy (Docker healthchecks);
 *   2b. the fleet: phoenix-api on PostgreSQL lists this host's agent healthy with its core's KPIs, the agent's
 *      KPIs are at the Pushgateway, and Prometheus scrapes phoenix-api and the Pushgateway;
 *   3. a short benchmark through the validation API completes and passes;
 *   4. the generators pushed into a spike through their API: the control file switches mode and the active
 *      output (:8892) drops under the budget while full fidelity is over it;
 *   5. the core container killed (SIGKILL to its init): it comes back healthy, applies the control file in
 *      force, and the loop goes on (the active output under the budget again, new decisions);
 *   6. `docker-compose restart`: the control history and the benchmark result (SQLite in named volumes) survive;
 *   7. `docker-compose down -v` leaves no container and no volume.
 *
 * Every step prints `RESULT PASS <step>` or `RESULT FAIL <step>` (a step after a failed one that needs it is
 * failed as not run); the last line is `docker stack test: N passed, M failed`; exit code 1 if any failed.
 * Traffic stays on loopback and the project's own containers. Logs: $PHOENIX_DOCKER_TEST_LOG_DIR (.ci/out).
 *
 * Environment: PHOENIX_COMPOSE (default `docker-compose`; `docker compose` for Compose v2),
 * PHOENIX_BENCHMARK_SCENARIO (baseline_steady_state), PHOENIX_BENCHMARK_TIME_SCALE (0.25).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { freePorts } = require('@phoenix/runtime');
const YAML = require('yaml');
const { readEnvFile } = require('./lib/envFile');
const { until, getJson, sendJson } = require('./lib/poll');
const { fleetStep } = require('./lib/dockerFleetStep');

/** @typedef {import('@phoenix/contracts').BenchmarkRun} BenchmarkRun */
/** @typedef {import('@phoenix/contracts').ControlHistory} ControlHistory */
/** @typedef {import('@phoenix/contracts').OptimizationMode} OptimizationMode */

const root = path.resolve(__dirname, '..');
const logDir = path.resolve(root, process.env.PHOENIX_DOCKER_TEST_LOG_DIR || '.ci/out');
fs.mkdirSync(logDir, { recursive: true });
const logFile = path.join(logDir, 'docker-stack-test.log');
fs.writeFileSync(logFile, '');
const composeCmd = (process.env.PHOENIX_COMPOSE || 'docker-compose').split(' ');
const project = `phoenixci${process.pid}`;
const scenario = process.env.PHOENIX_BENCHMARK_SCENARIO || 'baseline_steady_state';
const timeScale = Number(process.env.PHOENIX_BENCHMARK_TIME_SCALE || 0.25);
const t0 = Date.now();

/** @type {(msg: string) => void} */
const say = (msg) => {
  const line = `[docker-test +${((Date.now() - t0) / 1000).toFixed(0)}s] ${msg}`;
  console.log(line);
  fs.appendFileSync(logFile, line + '\n');
};
/** ci.env as a map (the token the services expect). */
const ci = readEnvFile(path.join(root, 'environments', 'ci.env'));
const token = ci.PHOENIX_API_TOKEN;
const budget = Number(ci.PHOENIX_TARGET_SERIES);

const PORT_VARS = [
  'PHOENIX_OTLP_GRPC_PORT', 'PHOENIX_OTLP_HTTP_PORT', 'PHOENIX_FULL_FIDELITY_PORT', 'PHOENIX_OPTIMIZED_PORT',
  'PHOENIX_EXPERIMENTAL_TOPK_PORT', 'PHOENIX_OBSERVATORY_PORT', 'PHOENIX_ACTIVE_PORT', 'PHOENIX_HEALTH_PORT',
  'PHOENIX_OBSERVER_PORT', 'PHOENIX_CONTROL_API_PORT', 'PHOENIX_GENERATORS_PORT', 'PHOENIX_VALIDATION_PORT',
  'PHOENIX_API_PORT', 'PHOENIX_AGENT_PORT', 'PROMETHEUS_PORT', 'PUSHGATEWAY_PORT', 'GRAFANA_PORT',
];
/** @type {Record<string, number>} */
const ports = {};
/** @type {NodeJS.ProcessEnv | undefined} */
let composeEnv;

/**
 * Picks fresh distinct ports for every published port (the runtime's freePorts: `n` distinct free loopback
 * ports) and builds the compose environment from them.
 */
async function choosePorts() {
  const free = await freePorts(PORT_VARS.length);
  PORT_VARS.forEach((v, i) => { ports[v] = free[i]; });
  composeEnv = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    PHOENIX_ENV: 'ci',
    PHOENIX_PUBLISH_ADDRESS: '127.0.0.1',
    DOCKER_BUILDKIT: process.env.DOCKER_BUILDKIT ?? '0',
    COMPOSE_DOCKER_CLI_BUILD: process.env.COMPOSE_DOCKER_CLI_BUILD ?? '0',
  };
}

/**
 * Runs a command; output goes to the log file. Throws on a non-zero exit unless `allowFail`.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ timeoutMs?: number, allowFail?: boolean, quiet?: boolean }} [opts]
 * @returns {{ status: number | null, out: string }}
 */
function run(cmd, args, { timeoutMs = 120_000, allowFail = false, quiet = true } = {}) {
  fs.appendFileSync(logFile, `$ ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd: root, env: composeEnv, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  const out = `${r.stdout || ''}${r.stderr || ''}`;
  fs.appendFileSync(logFile, out);
  if (!quiet) process.stdout.write(out);
  if ((r.status !== 0 || r.error) && !allowFail) {
    const why = r.error ? r.error.message : `exit ${r.status}`;
    throw new Error(`${cmd} ${args.join(' ')}: ${why}\n${out.split('\n').slice(-25).join('\n')}`);
  }
  return { status: r.status, out: r.stdout || '' };
}
/** @type {(args: string[], opts?: Parameters<typeof run>[2]) => ReturnType<typeof run>} */
const compose = (args, opts) => run(composeCmd[0], [...composeCmd.slice(1), '-p', project, ...args], opts);
/** @type {(service: string) => string} */
const containerId = (service) => compose(['ps', '-q', service]).out.trim();
/** @type {(id: string, format: string) => string} */
const inspect = (id, format) => run('docker', ['inspect', '-f', format, id]).out.trim();

/** @type {(portVar: string, p: string) => string} */
const url = (portVar, p) => `http://127.0.0.1:${ports[portVar]}${p}`;
/** @type {(method: string, u: string, body?: unknown) => Promise<unknown>} the services' bearer token */
const send = (method, u, body) => sendJson(method, u, body, token);
/**
 * Samples exposed by a /metrics endpoint (what a backend would store).
 * @param {string} portVar
 * @returns {Promise<number>}
 */
async function seriesAt(portVar) {
  const res = await fetch(url(portVar, '/metrics'), { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
}
/**
 * @param {string} portVar
 * @param {RegExp} re its first group is the value
 * @returns {Promise<number | undefined>}
 */
async function metricValue(portVar, re) {
  const text = await (await fetch(url(portVar, '/metrics'), { signal: AbortSignal.timeout(10_000) })).text();
  const m = re.exec(text);
  return m ? Number(m[1]) : undefined;
}
/** @returns {OptimizationMode} the control file in the phoenix-control container */
function controlFile() {
  const text = compose(['exec', '-T', 'phoenix-control', 'cat', '/var/lib/phoenix/control/optimization_mode.yaml']).out;
  return YAML.parse(text);
}

const SERVICES = ['phoenix-core', 'phoenix-control', 'phoenix-generators', 'phoenix-validation', 'postgres', 'phoenix-api', 'phoenix-agent', 'pushgateway', 'prometheus'];
/** @param {number} timeoutMs */
async function allHealthy(timeoutMs) {
  return until('every service healthy', timeoutMs, () => {
    const states = SERVICES.map((s) => {
      const id = containerId(s);
      return [s, id ? inspect(id, '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}') : 'missing'];
    });
    const bad = states.filter(([, st]) => st !== 'running/healthy');
    if (bad.length > 0) throw new Error(bad.map(([s, st]) => `${s} ${st}`).join(', '));
    return true;
  }, 2000);
}

// --- the steps ---------------------------------------------------------------------------------------------

/** @type {{ benchmark?: { id: string, state: BenchmarkRun['state'], passed: boolean | undefined }, spikeGeneration?: number }} */
const state = {};
const steps = [
  {
    name: 'docker-compose up -d --build (environment ci, no grafana profile)',
    async run() {
      // A port is free when chosen but another process may take it before Docker binds it: on a bind conflict
      // (and only then) the stack is taken down and started again on fresh ports, at most three times.
      for (let attempt = 1; ; attempt++) {
        try {
          compose(['up', '-d', '--build'], { timeoutMs: 20 * 60_000 });
          return;
        } catch (err) {
          if (attempt >= 3 || !/port is already allocated|address already in use/i.test(/** @type {Error} */ (err).message)) throw err;
          say(`attempt ${attempt}: a published port was taken before Docker bound it; starting again on fresh ports`);
          compose(['down', '-v', '--remove-orphans'], { allowFail: true, timeoutMs: 180_000 });
          await choosePorts();
        }
      }
    },
  },
  {
    name: 'every service reports healthy',
    async run() {
      await allHealthy(240_000);
    },
  },
  fleetStep({ url, say }),
  {
    name: `benchmark ${scenario} (time_scale ${timeScale}) through the validation API completes and passes`,
    async run() {
      // contracts/openapi/validation.openapi.yaml: 202 with the run; its `state` goes pending -> running ->
      // analyzing -> completed (or failed / cancelled); `summary.passed` once completed
      const started = /** @type {BenchmarkRun} */ (await send('POST', url('PHOENIX_VALIDATION_PORT', '/api/v1/benchmarks'), { scenario, time_scale: timeScale }));
      const id = started.id;
      if (id === undefined) throw new Error(`no id in the answer: ${JSON.stringify(started).slice(0, 500)}`);
      say(`benchmark ${id} ${started.state}`);
      const done = await until(`benchmark ${id} to finish`, 300_000, async () => {
        const b = /** @type {BenchmarkRun} */ (await getJson(url('PHOENIX_VALIDATION_PORT', `/api/v1/benchmarks/${encodeURIComponent(id)}`)));
        return ['completed', 'failed', 'cancelled'].includes(b.state) ? b : undefined;
      }, 2000);
      const passed = done.summary ? done.summary.passed : undefined;
      state.benchmark = { id, state: done.state, passed };
      say(`benchmark ${id}: ${done.state}, passed ${passed}${done.summary ? `, slo_failed [${done.summary.slo_failed.join(', ')}]` : ''}${done.reason ? `: ${done.reason}` : ''}`);
      if (done.state !== 'completed' || passed !== true) {
        throw new Error(`benchmark ${id}: state ${done.state}, passed ${passed}: ${JSON.stringify(done).slice(0, 1500)}`);
      }
    },
  },
  {
    name: 'a spike through the generators API switches the control file and brings :8892 under the budget',
    async run() {
      const before = controlFile();
      say(`control file before the spike: generation ${before.generation}, mode ${before.mode}`);
      await send('PUT', url('PHOENIX_GENERATORS_PORT', '/api/v1/load'), { hosts: 10, processes_per_host: 400, export_interval_seconds: 5, churn_rate: 0.01 });
      const full = await until('full_fidelity over the budget', 120_000, async () => {
        const n = await seriesAt('PHOENIX_FULL_FIDELITY_PORT');
        return n > budget ? n : undefined;
      });
      say(`full_fidelity exposes ${full} series (budget ${budget})`);
      const after = await until('the control file to leave conservative', 120_000, () => {
        const f = controlFile();
        return f.mode !== 'conservative' && f.generation > before.generation ? f : undefined;
      });
      say(`control file: generation ${after.generation}, mode ${after.mode}, profile ${after.profile}, k ${after.topk.k}: ${after.reason}`);
      const active = await until(':8892 under the budget', 120_000, async () => {
        const n = await seriesAt('PHOENIX_ACTIVE_PORT');
        return n < budget ? n : undefined;
      });
      const fullNow = await seriesAt('PHOENIX_FULL_FIDELITY_PORT');
      say(`active output ${active} series < budget ${budget} (full_fidelity ${fullNow})`);
      if (!(fullNow > budget)) throw new Error(`full_fidelity fell to ${fullNow}: the load is no longer a spike`);
      state.spikeGeneration = after.generation;
    },
  },
  {
    name: 'the core container killed comes back healthy, applies the control file in force, and the loop goes on',
    async run() {
      const id = containerId('phoenix-core');
      const restarts = Number(inspect(id, '{{.RestartCount}}'));
      const pid = Number(inspect(id, '{{.State.Pid}}'));
      const decisions = await metricValue('PHOENIX_CONTROL_API_PORT', /^phoenix_actuator_decisions_total\{action="keep"\} (\S+)$/m);
      say(`killing phoenix-core (pid ${pid}, restarts so far ${restarts})`);
      process.kill(pid, 'SIGKILL');
      await until('phoenix-core restarted and healthy', 120_000, () => {
        const st = inspect(id, '{{.RestartCount}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}');
        return st === `${restarts + 1} running healthy` ? st : undefined;
      });
      const inForce = controlFile();
      const applied = await until('the core to apply the control file in force', 30_000, () =>
        metricValue('PHOENIX_OBSERVATORY_PORT', /^phoenix_control_generation (\S+)$/m).then((g) => (g !== undefined && g >= inForce.generation ? g : undefined)),
      );
      say(`the core applies generation ${applied} (file: ${inForce.generation}, mode ${inForce.mode})`);
      await until('the loop to bring :8892 under the budget again', 180_000, async () => {
        const n = await seriesAt('PHOENIX_ACTIVE_PORT');
        const full = await seriesAt('PHOENIX_FULL_FIDELITY_PORT');
        return full > budget && n < budget ? n : undefined;
      }, 2000);
      const later = await metricValue('PHOENIX_CONTROL_API_PORT', /^phoenix_actuator_decisions_total\{action="keep"\} (\S+)$/m);
      if (!(later !== undefined && decisions !== undefined && later > decisions)) throw new Error(`no new decisions of the actuator (${decisions} -> ${later})`);
      say(`loop continues: keep decisions ${decisions} -> ${later}`);
    },
  },
  {
    name: 'SQLite data (control history, benchmark result) survives docker-compose restart',
    async run() {
      const history = /** @type {ControlHistory} */ (await getJson(url('PHOENIX_CONTROL_API_PORT', '/api/v1/history?limit=1000')));
      if (history.entries.length === 0) throw new Error('the control history is empty before the restart');
      compose(['restart'], { timeoutMs: 120_000 });
      await allHealthy(180_000);
      const again = /** @type {ControlHistory} */ (
        await until('the control API after the restart', 60_000, () => getJson(url('PHOENIX_CONTROL_API_PORT', '/api/v1/history?limit=1000')))
      );
      const ids = new Set(again.entries.map((e) => e.id));
      const lost = history.entries.filter((e) => !ids.has(e.id));
      if (lost.length > 0) throw new Error(`history entries lost across the restart: ${lost.map((e) => e.id).join(', ')}`);
      say(`control history: ${history.entries.length} entries before, ${again.entries.length} after`);
      const benchmark = state.benchmark;
      if (benchmark) {
        const b = /** @type {BenchmarkRun} */ (
          await until('the benchmark result after the restart', 60_000, () =>
            getJson(url('PHOENIX_VALIDATION_PORT', `/api/v1/benchmarks/${encodeURIComponent(benchmark.id)}`)),
          )
        );
        const passed = b.summary ? b.summary.passed : undefined;
        if (b.state !== benchmark.state || passed !== benchmark.passed) {
          throw new Error(`benchmark ${benchmark.id} changed across the restart: ${b.state}/${passed}`);
        }
        const result = await getJson(url('PHOENIX_VALIDATION_PORT', `/api/v1/benchmarks/${encodeURIComponent(benchmark.id)}/result`));
        if (!result || typeof result !== 'object') throw new Error('the stored result is gone');
        say(`benchmark ${benchmark.id} still ${b.state}, passed ${passed}, result readable`);
      } else {
        throw new Error('no benchmark result to check (the benchmark step failed)');
      }
    },
  },
];

async function main() {
  await choosePorts();
  say(`project ${project}, compose: ${composeCmd.join(' ')}, log: ${path.relative(root, logFile)}`);
  let passed = 0;
  let failed = 0;
  let broken = false;
  for (const step of steps) {
    const start = Date.now();
    // every step needs the stack up: after a failure of one of the first two, the rest cannot run
    if (broken) {
      console.log(`RESULT FAIL ${step.name} (not run: an earlier step the stack needs failed)`);
      failed++;
      continue;
    }
    try {
      await step.run();
      console.log(`RESULT PASS ${step.name} (${((Date.now() - start) / 1000).toFixed(0)} s)`);
      passed++;
    } catch (err) {
      console.log(`RESULT FAIL ${step.name} (${((Date.now() - start) / 1000).toFixed(0)} s): ${/** @type {Error} */ (err).message}`);
      failed++;
      const index = steps.indexOf(step);
      if (index < 2) broken = true; // without a healthy stack nothing else means anything
    }
  }
  // logs of a failed run, then down -v (always)
  if (failed > 0) {
    const logs = compose(['logs', '--no-color', '--tail=80'], { allowFail: true, timeoutMs: 60_000 });
    fs.writeFileSync(path.join(logDir, 'docker-stack-logs.txt'), logs.out);
    say(`container logs: ${path.relative(root, path.join(logDir, 'docker-stack-logs.txt'))}`);
  }
  const downName = 'docker-compose down -v leaves no container and no volume';
  try {
    compose(['down', '-v', '--remove-orphans'], { timeoutMs: 180_000 });
    const left = run('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`]).out.trim();
    const volumes = run('docker', ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`]).out.trim();
    if (left || volumes) throw new Error(`left behind: containers [${left}] volumes [${volumes}]`);
    console.log(`RESULT PASS ${downName}`);
    passed++;
  } catch (err) {
    console.log(`RESULT FAIL ${downName}: ${/** @type {Error} */ (err).message}`);
    failed++;
  }
  say(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  console.log(`docker stack test: ${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

process.on('SIGINT', () => {
  compose(['down', '-v', '--remove-orphans'], { allowFail: true, timeoutMs: 120_000 });
  process.exit(130);
});

main().catch((err) => {
  console.error(err);
  compose(['down', '-v', '--remove-orphans'], { allowFail: true, timeoutMs: 120_000 });
  console.log('docker stack test: 0 passed, 1 failed');
  process.exit(1);
});
