#!/usr/bin/env node
'use strict';
/**
 * The simulated agents of the fleet benchmark, in a process of their own (started by bench/fleet.js with an IPC
 * channel). Each agent speaks the protocol of a real phoenix-agent (contracts/openapi/api.openapi.yaml, role
 * `agent`): it registers with a heartbeat (`X-Agent-Host-ID` + the enrollment key), then keeps one long poll
 * (`GET /api/v1/agent/tasks?wait=`) open on a keep-alive connection, re-polling at once after each answer, and
 * reports every task it receives as succeeded. The time a task arrived is sent to the parent (the machine's
 * clock: performance.timeOrigin + performance.now(), the same in both processes).
 *
 * Messages from the parent: {cmd: 'start', url, key, count, prefix, waitSeconds}, {cmd: 'heartbeats', seconds,
 * concurrency}, {cmd: 'stop'}. To the parent: {ev: 'registered'}, {ev: 'task'}, {ev: 'heartbeats'},
 * {ev: 'stopped'} (see the handlers below).
 */
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const now = () => performance.timeOrigin + performance.now();
/** @param {object} msg */
const send = (msg) => process.send?.(msg);

/** one socket per held poll; heartbeats and reports on their own, smaller pool */
const pollAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const shortAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** @typedef {{ status: number, body: string }} Answer */

/**
 * @param {URL} base
 * @param {string} method
 * @param {string} pathname
 * @param {Record<string, string>} headers
 * @param {unknown} [body]
 * @param {http.Agent} [agent]
 * @returns {Promise<Answer>}
 */
function request(base, method, pathname, headers, body, agent = shortAgent) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      { host: base.hostname, port: base.port, method, path: pathname, agent, headers: { ...headers, ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}) } },
      (res) => {
        const chunks = /** @type {Buffer[]} */ ([]);
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const counts = { polls: 0, pollErrors: 0, tasks: 0, reports: 0, reportErrors: 0, errorSamples: /** @type {string[]} */ ([]) };
/** @param {string} what */
function fail(what) {
  if (counts.errorSamples.length < 10) counts.errorSamples.push(what);
}

let stopping = false;
/** @type {{ url: URL, key: string, count: number, prefix: string, waitSeconds: number } | undefined} */
let setup;
/** @type {(host: string) => Record<string, string>} */
const headersOf = (host) => ({ 'x-agent-host-id': host, authorization: `Bearer ${setup?.key}` });

/** @param {string} host */
const heartbeatBody = (host) => ({
  hostname: host,
  agent_version: '0.1.0-bench',
  capabilities: ['set_control', 'collect_diagnostics'],
  resource_usage: { agent: { rss_bytes: 30_000_000, cpu_seconds_total: 1 } },
  active_tasks: [],
  active_pipelines: [],
  started_at: new Date().toISOString(),
});

/**
 * Runs `work(i)` for i in [0, n) with at most `concurrency` at once.
 * @param {number} n
 * @param {number} concurrency
 * @param {(i: number) => Promise<void>} work
 */
async function pool(n, concurrency, work) {
  let next = 0;
  const lane = async () => {
    while (next < n) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, lane));
}

/** @param {number} i */
const hostOf = (i) => `${setup?.prefix}${String(i).padStart(5, '0')}`;

/** One agent's poll loop: poll, report what came, poll again, until stopped. */
/** @param {string} host */
async function pollLoop(host) {
  if (!setup) return;
  const { url, waitSeconds } = setup;
  while (!stopping) {
    let a;
    try {
      counts.polls += 1;
      a = await request(url, 'GET', `/api/v1/agent/tasks?wait=${waitSeconds}&max=5`, headersOf(host), undefined, pollAgent);
    } catch (err) {
      if (stopping) return;
      counts.pollErrors += 1;
      fail(`poll ${host}: ${/** @type {Error} */ (err).message}`);
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    const at = now();
    if (a.status !== 200) {
      counts.pollErrors += 1;
      fail(`poll ${host}: HTTP ${a.status} ${a.body.slice(0, 200)}`);
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    const { tasks } = /** @type {{ tasks: Array<{ id: string, attempts: number }> }} */ (JSON.parse(a.body));
    for (const t of tasks) {
      counts.tasks += 1;
      send({ ev: 'task', host, taskId: t.id, at });
      void report(host, t);
    }
  }
}

/**
 * @param {string} host
 * @param {{ id: string, attempts: number }} t
 */
async function report(host, t) {
  if (!setup) return;
  try {
    const r = await request(setup.url, 'POST', `/api/v1/agent/tasks/${t.id}/status`, headersOf(host), { attempt: t.attempts, status: 'succeeded', result: { bench: true } });
    if (r.status === 200) counts.reports += 1;
    else {
      counts.reportErrors += 1;
      fail(`report ${t.id}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
    }
  } catch (err) {
    counts.reportErrors += 1;
    fail(`report ${t.id}: ${/** @type {Error} */ (err).message}`);
  }
}

/**
 * Heartbeats of every agent, round after round, `concurrency` at once, for `seconds` (or one round when 0).
 * @param {number} seconds
 * @param {number} concurrency
 * @returns {Promise<{ ok: number, errors: number, seconds: number }>}
 */
async function heartbeats(seconds, concurrency) {
  if (!setup) throw new Error('not started');
  const { url, count } = setup;
  const t0 = now();
  const end = t0 + seconds * 1000;
  let ok = 0;
  let errors = 0;
  let i = 0;
  const lane = async () => {
    while (seconds === 0 ? i < count : now() < end) {
      const host = hostOf(i++ % count);
      try {
        const r = await request(url, 'POST', '/api/v1/agent/heartbeat', headersOf(host), heartbeatBody(host));
        if (r.status === 200) ok += 1;
        else {
          errors += 1;
          fail(`heartbeat ${host}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
        }
      } catch (err) {
        errors += 1;
        fail(`heartbeat ${host}: ${/** @type {Error} */ (err).message}`);
      }
    }
  };
  await pool(concurrency, concurrency, lane);
  return { ok, errors, seconds: (now() - t0) / 1000 };
}

process.on('message', (raw) => {
  const msg = /** @type {{ cmd: string, [k: string]: unknown }} */ (raw);
  if (msg.cmd === 'start') {
    setup = { url: new URL(String(msg.url)), key: String(msg.key), count: Number(msg.count), prefix: String(msg.prefix), waitSeconds: Number(msg.waitSeconds) };
    const s = setup;
    heartbeats(0, 256).then(
      (r) => {
        send({ ev: 'registered', ...r });
        for (let i = 0; i < s.count; i++) void pollLoop(hostOf(i));
      },
      (err) => send({ ev: 'error', message: String(err) }),
    );
  } else if (msg.cmd === 'heartbeats') {
    heartbeats(Number(msg.seconds), Number(msg.concurrency)).then(
      (r) => send({ ev: 'heartbeats', ...r }),
      (err) => send({ ev: 'error', message: String(err) }),
    );
  } else if (msg.cmd === 'stop') {
    stopping = true;
    send({ ev: 'stopped', ...counts });
    pollAgent.destroy();
    shortAgent.destroy();
    setTimeout(() => process.exit(0), 100).unref();
  }
});
process.on('disconnect', () => process.exit(0));
