'use strict';
/**
 * The fleet: one phoenix-api process (on PGlite, then on a real PostgreSQL 15) with BENCH_FLEET_AGENTS simulated
 * agents (bench/fleetAgents.js, a separate process) each holding one long poll on a keep-alive connection; then
 * one real phoenix-agent's idle cost beside an idle phoenix-core.
 *
 * - agents held: the API's own gauge of open long polls (phoenix_api_long_poll_waiters), its highest reading
 *   once every agent registered; target: every agent;
 * - dispatch latency: BENCH_FLEET_TASKS collect_diagnostics tasks queued through the operator API
 *   (POST /api/v1/agents/{host}/tasks) at BENCH_FLEET_TASK_RATE per second, each to a random held agent with
 *   no task of this bench outstanding; t0 just before the POST, t1 when the agent's long poll answered with it
 *   (both on the machine's clock); p50/p99/max; target p99 < 100 ms;
 * - heartbeat throughput: every agent heartbeats round after round, 256 at once, for
 *   BENCH_FLEET_HEARTBEAT_SECONDS while the polls stay held: accepted heartbeats per second;
 * - API RSS: idle, with the agents held, and the peak (sampled every 500 ms);
 * - one real agent (unmanaged, default intervals, against the PGlite API, beside an idle core it scrapes):
 *   after a 10 s settle, RSS and the share of one CPU over BENCH_FLEET_IDLE_SECONDS; targets < 50 MB, < 1 %.
 */
const { performance } = require('node:perf_hooks');
const { startCore } = require('./lib/core');
const { figure } = require('./lib/figure');
const { distribution } = require('./lib/stats');
const { startApi, startRealAgent, startSimulator, sleep } = require('./lib/fleetProcesses');

const now = () => performance.timeOrigin + performance.now();
const MB = 1024 * 1024;

/**
 * @param {string} url phoenix-api
 * @returns {Promise<number>} open long polls, as the API counts them
 */
async function pollWaiters(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^phoenix_api_long_poll_waiters(?:\{[^}]*\})? (\d+(?:\.\d+)?)$/m.exec(text);
  return m ? Number(m[1]) : 0;
}

/**
 * One database: the agents held, dispatch latency, heartbeat throughput, API RSS.
 * @param {import('./lib/config').BenchContext} ctx
 * @param {'pglite' | 'postgres'} database
 * @returns {Promise<import('./lib/figure').Figure[]>}
 */
async function measureDatabase(ctx, database) {
  const { fleetAgents: n, fleetTasks, fleetTaskRate, fleetHeartbeatSeconds } = ctx.config;
  const api = await startApi(database);
  const errors = /** @type {string[]} */ ([]);
  /** @type {Map<string, number>} host → t0 of its outstanding task */
  const outstanding = new Map();
  const latencies = /** @type {number[]} */ ([]);
  const sim = startSimulator((m) => {
    const t0 = outstanding.get(String(m.host));
    if (t0 === undefined) return;
    outstanding.delete(String(m.host));
    latencies.push(Number(m.at) - t0);
  });
  let peakRss = api.rssBytes();
  const sampler = setInterval(() => {
    if (!api.exited()) peakRss = Math.max(peakRss, api.rssBytes());
  }, 500);
  try {
    const idleRss = api.rssBytes();
    ctx.log(`fleet ${database}: ${n} agents register and hold their long polls`);
    sim.send({ cmd: 'start', url: api.url, key: api.key, count: n, prefix: `bench-${database}-`, waitSeconds: 30 });
    const reg = await sim.next('registered', 600_000);
    let held = 0;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && held < n) {
      held = Math.max(held, await pollWaiters(api.url));
      if (held < n) await sleep(500);
    }
    const heldRss = api.rssBytes();
    ctx.log(`fleet ${database}: ${held} polls held; dispatching ${fleetTasks} tasks at ${fleetTaskRate}/s`);
    const postMs = /** @type {number[]} */ ([]);
    for (let i = 0; i < fleetTasks; i++) {
      let host;
      do host = `bench-${database}-${String(Math.floor(Math.random() * n)).padStart(5, '0')}`;
      while (outstanding.has(host));
      const t0 = now();
      outstanding.set(host, t0);
      const r = await fetch(`${api.url}/api/v1/agents/${host}/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'collect_diagnostics', config: { log_lines: 0 }, max_attempts: 1 }),
      });
      postMs.push(now() - t0);
      if (r.status !== 201 && r.status !== 200) {
        outstanding.delete(host);
        errors.push(`POST task for ${host}: HTTP ${r.status} ${(await r.text()).slice(0, 200)}`);
        if (errors.length > 5) break;
      }
      const wait = t0 + 1000 / fleetTaskRate - now();
      if (wait > 0) await sleep(wait);
    }
    const until = Date.now() + 30_000;
    while (outstanding.size > 0 && Date.now() < until) await sleep(100);
    if (outstanding.size > 0) errors.push(`${outstanding.size} tasks never reached their agent within 30 s`);
    ctx.log(`fleet ${database}: heartbeats for ${fleetHeartbeatSeconds} s`);
    sim.send({ cmd: 'heartbeats', seconds: fleetHeartbeatSeconds, concurrency: 256 });
    const hb = await sim.next('heartbeats', (fleetHeartbeatSeconds + 120) * 1000);
    const heldAfter = await pollWaiters(api.url);
    sim.send({ cmd: 'stop' });
    const counts = await sim.next('stopped', 30_000);
    for (const k of ['pollErrors', 'reportErrors']) if (Number(counts[k]) > 0) errors.push(`${k}: ${counts[k]}`);
    if (Number(hb.errors) > 0 || Number(reg.errors) > 0) errors.push(`heartbeat errors: ${reg.errors} registering, ${hb.errors} under load`);
    if (errors.length > 0) errors.push(...(/** @type {string[]} */ (counts.errorSamples) ?? []));
    const d = distribution(latencies);
    const p = distribution(postMs);
    const id = `fleet.${database}`;
    const db = database === 'pglite' ? 'PGlite' : 'PostgreSQL 15';
    return [
      figure({ id: `${id}.agents_held`, name: `long polls held by one phoenix-api (${db})`, unit: 'agents', values: [held], target: { op: '>=', value: n }, errors, details: { heldAfterHeartbeats: heldAfter, registerSeconds: reg.seconds } }),
      figure({
        id: `${id}.dispatch_p99_ms`,
        name: `task dispatch, queued → received by the agent, p99 (${db})`,
        unit: 'ms',
        values: [d.p99],
        target: { op: '<=', value: 100 },
        errors,
        details: { dispatch: d, operatorPostMs: p },
      }),
      figure({ id: `${id}.heartbeats_per_second`, name: `heartbeats accepted per second, ${n} agents holding polls (${db})`, unit: 'heartbeats/s', values: [Number(hb.ok) / Number(hb.seconds)], errors, details: hb }),
      figure({ id: `${id}.api_rss_mb`, name: `phoenix-api RSS with ${n} agents (${db}), peak`, unit: 'MB', values: [peakRss / MB], errors, details: { idleMb: idleRss / MB, heldMb: heldRss / MB, peakMb: peakRss / MB } }),
    ];
  } finally {
    clearInterval(sampler);
    sim.kill();
    await api.stop();
  }
}

/**
 * One real phoenix-agent idle: its RSS and the share of one CPU it uses (its core not counted).
 * @param {import('./lib/config').BenchContext} ctx
 * @returns {Promise<import('./lib/figure').Figure[]>}
 */
async function measureRealAgent(ctx) {
  const api = await startApi('pglite');
  const core = await startCore();
  try {
    const agent = await startRealAgent(api.url, core);
    try {
      ctx.log(`fleet: one real agent idle (10 s settle, ${ctx.config.fleetIdleSeconds} s measured)`);
      await sleep(10_000);
      const c0 = agent.cpuSeconds();
      const t0 = now();
      let peak = agent.rssBytes();
      const end = t0 + ctx.config.fleetIdleSeconds * 1000;
      while (now() < end) {
        await sleep(500);
        peak = Math.max(peak, agent.rssBytes());
      }
      const cpu = (agent.cpuSeconds() - c0) / ((now() - t0) / 1000);
      const rss = agent.rssBytes();
      const errors = agent.exited() ? [String(agent.exited())] : [];
      return [
        figure({ id: 'fleet.agent_idle_rss_mb', name: 'one phoenix-agent idle, RSS (its core not counted)', unit: 'MB', values: [rss / MB], target: { op: '<=', value: 50 }, errors, details: { peakMb: peak / MB } }),
        figure({ id: 'fleet.agent_idle_cpu_percent', name: 'one phoenix-agent idle, share of one CPU', unit: '%', values: [cpu * 100], target: { op: '<=', value: 1 }, errors }),
      ];
    } finally {
      await agent.stop();
    }
  } finally {
    await core.stop();
    await api.stop();
  }
}

/**
 * @param {import('./lib/config').BenchContext} ctx
 * @returns {Promise<import('./lib/figure').Figure[]>}
 */
async function measureFleet(ctx) {
  return [...(await measureDatabase(ctx, 'pglite')), ...(await measureDatabase(ctx, 'postgres')), ...(await measureRealAgent(ctx))];
}

module.exports = { measureFleet };
