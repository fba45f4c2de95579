'use strict';
/**
 * Ingest while scraped: a fresh phoenix-core per run gets one round of N series (default 100k)
 * and a 2 s max-rate warm-up (as the ingest figure), then the same max-rate OTLP/HTTP replay (BENCH_SCRAPE_SECONDS) twice: once alone and once while
 * this process GETs :8888/metrics (all N series) every second (the next scrape starts 1 s after the
 * previous one started, or as soon as it finished if it took longer). The halves alternate their
 * order from run to run. The figure is the ratio of the two achieved rates (with / without).
 */
const { setTimeout: sleep } = require('node:timers/promises');
const { startCore } = require('./lib/core');
const { startReplay, assertClean, summary, MAX_RATE } = require('./lib/replay');
const { warmUp } = require('./ingest');
const { timedGet } = require('./lib/scrape');
const { figure } = require('./lib/figure');
const { repeatRuns } = require('./lib/runs');
const { distribution } = require('./lib/stats');

const SCRAPE_INTERVAL_MS = 1000;

/**
 * One max-rate load, with or without a scrape of :8888 every second.
 * @param {import('./lib/core').Core} core
 * @param {{ series: number, seconds: number, scrape: boolean }} opts
 */
async function half(core, { series, seconds, scrape }) {
  const load = startReplay({ series, rate: MAX_RATE, duration: seconds, protocol: 'http', endpoint: core.httpEndpoint });
  let done = false;
  const finished = load.promise.finally(() => (done = true));
  finished.catch(() => {});
  /** @type {number[]} */
  const scrapes = [];
  try {
    while (scrape && !done) {
      const started = Date.now();
      const r = await timedGet(core.url('fullFidelity'));
      scrapes.push(r.ms);
      const wait = started + SCRAPE_INTERVAL_MS - Date.now();
      if (wait > 0 && !done) await Promise.race([sleep(wait), finished.catch(() => {})]);
    }
  } catch (err) {
    load.child.kill('SIGKILL');
    throw err;
  }
  const report = assertClean(await finished, `ingest ${scrape ? 'with' : 'without'} scrapes`);
  return { report, scrapes };
}

/**
 * @param {number} r the run (its parity orders the halves)
 * @param {{ series: number, seconds: number }} opts
 */
async function scrapeRun(r, { series, seconds }) {
  const core = await startCore();
  try {
    await warmUp(core, { series, protocol: 'http' });
    const order = r % 2 === 0 ? [false, true] : [true, false];
    const halves = [];
    for (const scrape of order) halves.push(await half(core, { series, seconds, scrape }));
    const out = { with: halves[order.indexOf(true)], without: halves[order.indexOf(false)] };
    if (core.exited) throw new Error(`phoenix-core exited during the run (${JSON.stringify(core.exited)})`);
    return {
      without: out.without.report.achieved_rate,
      with: out.with.report.achieved_rate,
      ratio: out.with.report.achieved_rate / out.without.report.achieved_rate,
      scrapeMs: distribution(out.with.scrapes),
      order: order.map((s) => (s ? 'with' : 'without')),
      reports: { without: summary(out.without.report), with: summary(out.with.report) },
    };
  } finally {
    await core.stop();
  }
}

/**
 * @param {import('./lib/config').BenchContext} ctx
 * @returns {Promise<import('./lib/figure').Figure[]>}
 */
async function measureScrapeInterference(ctx) {
  const { runs, series, scrapeSeconds } = ctx.config;
  const { results, errors } = await repeatRuns(ctx, {
    runs,
    label: 'scrape interference',
    run: (r) => scrapeRun(r, { series, seconds: scrapeSeconds }),
    describe: (res) => `${Math.round(res.with)} / ${Math.round(res.without)} points/s = ${res.ratio.toFixed(3)} (${res.scrapeMs.count} scrapes, p50 ${res.scrapeMs.p50.toFixed(1)} ms)`,
  });
  const n = series.toLocaleString('en-US');
  return [
    figure({
      id: 'scrape.ratio',
      name: `ingest while :8888 (${n} series) is scraped every 1 s, relative to without (per run: with / without)`,
      unit: 'ratio',
      values: results.map((x) => x.ratio),
      target: { op: '>=', value: 0.8 },
      errors,
      details: { series, seconds: scrapeSeconds, scrapeIntervalMs: SCRAPE_INTERVAL_MS, runs: results },
    }),
    figure({
      id: 'scrape.ingest_without_scrapes',
      name: `… OTLP/HTTP ingest without scrapes, ${n} series`,
      unit: 'points/s',
      values: results.map((x) => x.without),
      errors,
    }),
    figure({
      id: 'scrape.ingest_with_scrapes',
      name: `… OTLP/HTTP ingest with a scrape every 1 s, ${n} series`,
      unit: 'points/s',
      values: results.map((x) => x.with),
      errors,
    }),
  ];
}

module.exports = { measureScrapeInterference };
