#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: starts phoenix-core as a separate process on free loopback ports, drives it with
 * pre-encoded OTLP requests from this process, and reports JSON (bench/results/<time>.json) and a table.
 * Each figure is the median of several runs, with min and max.
 */
const { spawn, execSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePorts } = require('../modules/phoenix-testkit/dist/freePort');
const { buildRequests, send } = require('./otlpLoad');

const RUNS = Number(process.env.BENCH_RUNS || 5);
const SERIES = (process.env.BENCH_SERIES || '10000,100000').split(',').map(Number);
const QUICK = process.env.BENCH_QUICK === '1';

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1], runs: s.length };
}

function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

async function startCore(extraEnv = {}) {
  const names = ['PHOENIX_OTLP_GRPC_PORT', 'PHOENIX_OTLP_HTTP_PORT', 'PHOENIX_FULL_FIDELITY_PORT', 'PHOENIX_OPTIMIZED_PORT', 'PHOENIX_EXPERIMENTAL_TOPK_PORT', 'PHOENIX_OBSERVATORY_PORT', 'PHOENIX_ACTIVE_PORT', 'PHOENIX_HEALTH_PORT'];
  const ports = await freePorts(names.length);
  const env = { ...process.env, PHOENIX_LOG_LEVEL: 'warn', PHOENIX_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-bench-')), ...extraEnv };
  names.forEach((n, i) => (env[n] = String(ports[i])));
  const child = spawn(process.execPath, [path.join(__dirname, '../modules/phoenix-core/dist/main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const health = `http://127.0.0.1:${env.PHOENIX_HEALTH_PORT}/health`;
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(health).then((r) => r.status === 200, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = (n) => Number(env[n]);
  return {
    child,
    grpc: port('PHOENIX_OTLP_GRPC_PORT'),
    http: port('PHOENIX_OTLP_HTTP_PORT'),
    url: (n) => `http://127.0.0.1:${port(n)}/metrics`,
    stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }),
  };
}

async function timeScrape(url) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(url);
  const text = await res.text();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes: text.length };
}

async function benchIngest(protocol, series, extraEnv = {}) {
  const runs = [];
  const p50 = [];
  const p99 = [];
  for (let r = 0; r < RUNS; r++) {
    const core = await startCore(extraEnv);
    try {
      // first round creates the series; measured rounds update them (the steady state of a gateway)
      await send({ protocol, port: protocol === 'grpc' ? core.grpc : core.http, requests: buildRequests({ series, round: 1 }) });
      const res = await send({ protocol, port: protocol === 'grpc' ? core.grpc : core.http, requests: buildRequests({ series, round: 2 }), rounds: QUICK ? 1 : 3 });
      runs.push(res.pointsPerSecond);
      p50.push(res.p50Ms);
      p99.push(res.p99Ms);
    } finally {
      await core.stop();
    }
  }
  return {
    protocol,
    series,
    pipelines: extraEnv.PHOENIX_REDUCTION_ENABLED === 'false' ? 'full_fidelity only' : 'all three',
    pointsPerSecond: stats(runs),
    p50Ms: stats(p50),
    p99Ms: stats(p99),
    pointsPerRequest: 1000,
    concurrency: 8,
  };
}

async function benchMemoryAndRender(series, extraEnv = {}) {
  const mem = [];
  const renderFF = [];
  const renderActive = [];
  const renderOther = {};
  for (let r = 0; r < Math.min(RUNS, 3); r++) {
    const core = await startCore(extraEnv);
    try {
      await new Promise((res) => setTimeout(res, 300));
      const before = rssBytes(core.child.pid);
      await send({ protocol: 'http', port: core.http, requests: buildRequests({ series, round: 1 }) });
      await new Promise((res) => setTimeout(res, 300));
      const after = rssBytes(core.child.pid);
      mem.push((after - before) / series);
      await timeScrape(core.url('PHOENIX_FULL_FIDELITY_PORT')); // warm-up
      for (let i = 0; i < 5; i++) renderFF.push((await timeScrape(core.url('PHOENIX_FULL_FIDELITY_PORT'))).ms);
      for (let i = 0; i < 3; i++) renderActive.push((await timeScrape(core.url('PHOENIX_ACTIVE_PORT'))).ms);
      for (const [name, env] of [['optimized', 'PHOENIX_OPTIMIZED_PORT'], ['experimental_topk', 'PHOENIX_EXPERIMENTAL_TOPK_PORT']]) {
        const t = await timeScrape(core.url(env)).catch(() => undefined);
        if (t) (renderOther[name] ??= []).push(t.ms);
      }
    } finally {
      await core.stop();
    }
  }
  const out = { series, pipelines: extraEnv.PHOENIX_REDUCTION_ENABLED === 'false' ? 'full_fidelity only' : 'all three', rssBytesPerSeries: stats(mem), renderFullFidelityMs: stats(renderFF), renderActiveMs: stats(renderActive) };
  for (const [k, v] of Object.entries(renderOther)) out[`render_${k}_ms`] = stats(v);
  return out;
}

/**
 * Render comparison in this process on the same series: phoenix's exposition (store render to
 * bytes) against prom-client's registry.metrics() for a gauge with the same label sets.
 */
async function renderComparison(series) {
  const { FakeClock } = require('../modules/phoenix-core/dist/clock');
  const { SeriesStore } = require('../modules/phoenix-core/dist/store/seriesStore');
  const { defaultSeriesStoreConfig } = require('../modules/phoenix-core/dist/store/seriesStoreConfig');
  const { silentLogger } = require('../modules/phoenix-core/dist/log');
  const { ExpositionWriter } = require('../modules/phoenix-core/dist/exporter/expositionWriter');
  const { renderStore } = require('../modules/phoenix-core/dist/store/renderStore');
  const { decodeProtobufRequest } = require('../modules/phoenix-core/dist/otlp/decodeProtobufRequest');
  const promClient = require('prom-client');
  const store = new SeriesStore({ ...defaultSeriesStoreConfig, maxSeries: 10_000_000 }, new FakeClock(), silentLogger);
  for (const r of buildRequests({ series })) store.ingest(decodeProtobufRequest(r.body, { lazyAttributes: true }));
  const registry = new promClient.Registry();
  const fam = [...store.families.values()][0];
  const names = fam.series.values().next().value.labels.map(([k]) => k);
  const gauge = new promClient.Gauge({ name: fam.name, help: fam.help || fam.otelName, labelNames: names, registers: [registry] });
  for (const s of fam.series.values()) gauge.set(Object.fromEntries(s.labels), s.value);
  const phoenix = [];
  const prom = [];
  for (let i = 0; i < RUNS + 1; i++) {
    let t0 = process.hrtime.bigint();
    const w = new ExpositionWriter();
    renderStore(store, w);
    w.buffers();
    const a = Number(process.hrtime.bigint() - t0) / 1e6;
    t0 = process.hrtime.bigint();
    Buffer.from(await registry.metrics());
    const b = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i > 0) {
      phoenix.push(a);
      prom.push(b);
    }
  }
  const p = stats(phoenix);
  const q = stats(prom);
  return { series: store.size, phoenixMs: p, promClientMs: q, speedup: q.median / p.median };
}

function commit() {
  try {
    return execSync('git rev-parse HEAD', { cwd: __dirname, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}

async function main() {
  const result = {
    startedAt: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryBytes: os.totalmem(), node: process.version, platform: `${os.platform()} ${os.release()}` },
    commit: commit(),
    runsPerFigure: RUNS,
    ingest: [],
    memoryAndRender: [],
    renderComparison: [],
  };
  for (const series of SERIES) {
    for (const env of [{ PHOENIX_REDUCTION_ENABLED: 'false' }, {}]) {
      for (const protocol of ['http', 'grpc']) {
        const r = await benchIngest(protocol, series, env);
        result.ingest.push(r);
        console.error(`ingest ${protocol} ${series} series (${r.pipelines}): ${Math.round(r.pointsPerSecond.median)} points/s (p50 ${r.p50Ms.median.toFixed(2)} ms, p99 ${r.p99Ms.median.toFixed(2)} ms)`);
      }
      const m = await benchMemoryAndRender(series, env);
      result.memoryAndRender.push(m);
      console.error(`memory ${series} series (${m.pipelines}): ${Math.round(m.rssBytesPerSeries.median)} B/series; render full_fidelity ${m.renderFullFidelityMs.median.toFixed(1)} ms`);
    }
  }
  for (const series of SERIES) {
    const c = await renderComparison(series);
    result.renderComparison.push(c);
    console.error(`render ${c.series} series in-process: phoenix ${c.phoenixMs.median.toFixed(1)} ms, prom-client ${c.promClientMs.median.toFixed(1)} ms (${c.speedup.toFixed(1)}x)`);
  }
  result.finishedAt = new Date().toISOString();
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${result.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
  console.error(`\nwritten ${file}`);
  console.error('\n| figure | series | median | min | max |\n|---|---|---|---|---|');
  for (const r of result.ingest) console.error(`| ingest ${r.protocol} points/s, ${r.pipelines} | ${r.series} | ${Math.round(r.pointsPerSecond.median)} | ${Math.round(r.pointsPerSecond.min)} | ${Math.round(r.pointsPerSecond.max)} |`);
  for (const r of result.ingest) console.error(`| ${r.protocol} request p50 / p99 ms, ${r.pipelines} | ${r.series} | ${r.p50Ms.median.toFixed(2)} / ${r.p99Ms.median.toFixed(2)} | | |`);
  for (const c of result.renderComparison) {
    console.error(`| render in-process, phoenix ms | ${c.series} | ${c.phoenixMs.median.toFixed(1)} | ${c.phoenixMs.min.toFixed(1)} | ${c.phoenixMs.max.toFixed(1)} |`);
    console.error(`| render in-process, prom-client ms (same series) | ${c.series} | ${c.promClientMs.median.toFixed(1)} | ${c.promClientMs.min.toFixed(1)} | ${c.promClientMs.max.toFixed(1)} |`);
    console.error(`| render speed-up over prom-client | ${c.series} | ${c.speedup.toFixed(1)}x | | |`);
  }
  for (const m of result.memoryAndRender) {
    console.error(`| RSS bytes per input series, ${m.pipelines} | ${m.series} | ${Math.round(m.rssBytesPerSeries.median)} | ${Math.round(m.rssBytesPerSeries.min)} | ${Math.round(m.rssBytesPerSeries.max)} |`);
    for (const key of Object.keys(m).filter((x) => x.startsWith('render_'))) console.error(`| ${key} (median) | ${m.series} | ${m[key].median.toFixed(1)} | ${m[key].min.toFixed(1)} | ${m[key].max.toFixed(1)} |`);
    console.error(`| render full_fidelity ms, ${m.pipelines} | ${m.series} | ${m.renderFullFidelityMs.median.toFixed(1)} | ${m.renderFullFidelityMs.min.toFixed(1)} | ${m.renderFullFidelityMs.max.toFixed(1)} |`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
