'use strict';
/**
 * Freshness at N series (default 100k): a fresh phoenix-core per run carries a background load of
 * N series from the replay loader at half the maximum OTLP/HTTP rate (the ingest figure of this
 * run, or a short calibration run), so the core is busy. Once the N series exist, this process
 * sends a small OTLP/HTTP protobuf request every ~200 ms for one probe series (gauge `bench.probe`,
 * value 1, 2, 3, …); t0 = when its HTTP 200 arrived. Meanwhile it GETs :8888/metrics one scrape
 * after another; t1 of a probe value = when the first scrape that finished after t0 and shows that
 * value (or a later one) has finished downloading. Resolution: one scrape of N series (its
 * duration is in the details); a scrape that rendered just after the value arrived still counts
 * its whole download.
 */
const http = require('node:http');
const { setTimeout: sleep } = require('node:timers/promises');
const { encodeExportRequest } = require('@phoenix/testkit');
const { startCore, observatory, sampleValue } = require('./lib/core');
const { startReplay, assertClean, summary } = require('./lib/replay');
const { timedGet } = require('./lib/scrape');
const { figure } = require('./lib/figure');
const { repeatRuns } = require('./lib/runs');
const { distribution, stats } = require('./lib/stats');
const { maxRateRun } = require('./ingest');

const PROBE_INTERVAL_MS = 200;
const PROBE_MARKER = Buffer.from('\nbench_probe{');

/** @typedef {import('./lib/core').Core} Core */

/**
 * @param {number} value
 * @returns {Buffer} an OTLP/protobuf export request of the probe series with this value
 */
function probeBody(value) {
  const now = BigInt(Date.now()) * 1_000_000n;
  return Buffer.from(
    encodeExportRequest({
      resourceMetrics: [
        {
          resource: {
            attributes: [
              { key: 'host.name', value: { stringValue: 'bench-probe' } },
              { key: 'service.name', value: { stringValue: 'phoenix-bench' } },
            ],
          },
          scopeMetrics: [
            { scope: { name: 'bench' }, metrics: [{ name: 'bench.probe', gauge: { dataPoints: [{ asDouble: value, timeUnixNano: now.toString() }] } }] },
          ],
        },
      ],
    }),
  );
}

const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/**
 * POSTs one probe; resolves with the hrtime of its HTTP 200 (rejects otherwise).
 * @param {number} port
 * @param {number} value
 * @returns {Promise<bigint>}
 */
function sendProbe(port, value) {
  const body = probeBody(value);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/metrics',
        method: 'POST',
        agent: probeAgent,
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const t = process.hrtime.bigint();
          if (res.statusCode === 200) resolve(t);
          else reject(new Error(`probe ${value}: HTTP ${res.statusCode}`));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The probe's value in a scrape body, or undefined.
 * @param {Buffer} body
 * @returns {number | undefined}
 */
function probeValue(body) {
  const head = PROBE_MARKER.subarray(1);
  let at;
  if (body.subarray(0, head.length).equals(head)) at = 0;
  else {
    const i = body.indexOf(PROBE_MARKER);
    if (i === -1) return undefined;
    at = i + 1;
  }
  const end = body.indexOf(10, at);
  const line = body.toString('utf8', at, end === -1 ? body.length : end);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

/**
 * @param {Core} core
 * @param {number} n
 * @param {number} timeoutMs
 */
async function waitForSeries(core, n, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = sampleValue(await observatory(core), 'phoenix_store_series');
    if (s !== undefined && s >= n) return;
    if (Date.now() > deadline) throw new Error(`only ${s} of ${n} series after ${timeoutMs} ms of background load`);
    await sleep(200);
  }
}

/**
 * @param {import('./lib/config').BenchContext} ctx
 * @param {{ series: number, probes: number }} opts
 */
async function freshnessRun(ctx, { series, probes }) {
  const core = await startCore();
  /** @type {ReturnType<typeof startReplay> | undefined} */
  let bg;
  try {
    /** @type {ReturnType<typeof summary> | undefined} */
    let calibrated;
    if (!ctx.maxHttpRate) {
      const cal = await maxRateRun(core, { series, protocol: 'http', seconds: 3 });
      ctx.maxHttpRate = cal.achieved_rate;
      calibrated = summary(cal);
      ctx.log(`freshness: calibrated the maximum OTLP/HTTP rate at ${Math.round(cal.achieved_rate)} points/s`);
    }
    const rate = Math.round(ctx.maxHttpRate / 2);
    // creation (≥ 25k series/s) + probes + margin; the loader stops by itself
    const loadSeconds = Math.ceil(series / 25_000 + (probes * PROBE_INTERVAL_MS) / 1000 + 8);
    bg = startReplay({ series, rate, duration: loadSeconds, protocol: 'http', endpoint: core.httpEndpoint });
    let bgDone = false;
    const bgReport = bg.promise.finally(() => (bgDone = true));
    bgReport.catch(() => {});
    await waitForSeries(core, series, loadSeconds * 1000);
    /** @type {{ value: number, t0: bigint }[]} */
    const pending = [];
    /** @type {number[]} */
    const latencies = [];
    /** @type {number[]} */
    const scrapeMs = [];
    let stop = false;
    const scraper = (async () => {
      while (!stop) {
        const r = await timedGet(core.url('fullFidelity'), { keepBody: true });
        scrapeMs.push(r.ms);
        const v = probeValue(r.body);
        if (v === undefined) continue;
        for (let i = pending.length - 1; i >= 0; i--) {
          const p = pending[i];
          if (p.value <= v && p.t0 <= r.ended) {
            latencies.push(Number(r.ended - p.t0) / 1e6);
            pending.splice(i, 1);
          }
        }
      }
    })();
    scraper.catch(() => {}); // awaited below; this only keeps a failed scrape from being an unhandled rejection meanwhile
    const httpPort = core.ports.otlpHttp;
    let lastSend = 0;
    try {
      for (let value = 1; value <= probes; value++) {
        const wait = lastSend + PROBE_INTERVAL_MS - Date.now();
        if (wait > 0) await sleep(wait);
        lastSend = Date.now();
        const t0 = await sendProbe(httpPort, value);
        pending.push({ value, t0 });
        if (bgDone) throw new Error(`the background load ended before probe ${value}`);
      }
      const deadline = Date.now() + 10_000;
      while (pending.length > 0 && Date.now() < deadline) await sleep(20);
    } finally {
      stop = true;
      await scraper;
    }
    /** @type {string[]} */
    const errors = [];
    if (pending.length > 0) errors.push(`${pending.length} probe values never seen on :8888 within 10 s`);
    if (bgDone) errors.push('the background load ended before the last probe was seen');
    const report = assertClean(await bgReport, 'freshness background load');
    return { latency: distribution(latencies), scrapeMs: distribution(scrapeMs), background: summary(report), calibrated, errors, latencies };
  } finally {
    // a failed run must not leave its background load running into the next one
    if (bg && bg.child.exitCode === null && bg.child.signalCode === null) bg.child.kill('SIGKILL');
    await core.stop();
  }
}

/**
 * @param {import('./lib/config').BenchContext} ctx
 * @returns {Promise<import('./lib/figure').Figure[]>}
 */
async function measureFreshness(ctx) {
  const { runs, series, freshnessProbes } = ctx.config;
  const { results, errors } = await repeatRuns(ctx, {
    runs,
    label: 'freshness',
    run: () => freshnessRun(ctx, { series, probes: freshnessProbes }),
    describe: (res) => {
      const l = res.latency;
      return `p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms (${l.count} samples; scrape p50 ${res.scrapeMs.p50.toFixed(1)} ms; background ${Math.round(res.background.achieved_rate)} of ${res.background.target_rate} points/s)`;
    },
  });
  const details = {
    series,
    probesPerRun: freshnessProbes,
    probeIntervalMs: PROBE_INTERVAL_MS,
    detectionResolutionMs: stats(results.map((x) => x.scrapeMs.p50)).median,
    runs: results.map((x) => ({
      latency: x.latency,
      scrapeMs: x.scrapeMs,
      background: x.background,
      calibrated: x.calibrated,
      samplesMs: x.latencies.map((v) => Math.round(v * 10) / 10),
    })),
  };
  const n = series.toLocaleString('en-US');
  return [
    figure({
      id: 'freshness.p99_ms',
      name: `freshness (export accepted → visible on :8888) at ${n} series, p99`,
      unit: 'ms',
      values: results.map((x) => x.latency.p99),
      target: { op: '<=', value: 1000 },
      errors,
      details,
    }),
    figure({ id: 'freshness.p50_ms', name: '… p50', unit: 'ms', values: results.map((x) => x.latency.p50), errors }),
  ];
}

module.exports = { measureFreshness };
