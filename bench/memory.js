'use strict';
/**
 * Resident memory per input series, all pipelines together, at N input series (default 1M,
 * BENCH_MEMORY_SERIES): a fresh phoenix-core per run; VmRSS (/proc/<pid>/status) of the idle core
 * once healthy; then the replay loader sends the N series at maximum rate until every series has
 * received at least two points (two full rounds; loader runs are repeated, each sized from the
 * last measured rate, counting per request of the round how many times it was sent); 3 s later
 * VmRSS again, and once more 1 s after a full scrape of :8888 (the exposition buffers the core keeps
 * for the next scrape count). The figure is (the larger RSS − RSS idle) / N. To be sure the N series are really held, the run then checks
 * phoenix_store_series and phoenix_pipeline_series{pipeline="full_fidelity"} on :8891, and counts
 * the sample lines of :8888/metrics (streamed, after the RSS reading): all three must equal N.
 */
const { setTimeout: sleep } = require('node:timers/promises');
const { startCore, observatory, sampleValue } = require('./lib/core');
const { runReplay, assertClean, summary, MAX_RATE } = require('./lib/replay');
const { countSamplesStreaming } = require('./lib/scrape');
const { figure } = require('./lib/figure');
const { repeatRuns } = require('./lib/runs');

/**
 * @param {import('./lib/config').BenchContext} ctx
 * @param {number} series
 */
async function memoryRun(ctx, series) {
  const core = await startCore({ PHOENIX_MAX_SERIES: String(Math.max(2_000_000, Math.ceil(series * 1.1))) });
  try {
    await sleep(1000);
    const idle = core.rssBytes();
    // points each request (batch of series) of a round has received so far: the loader sends the
    // batches of a round in order, so a run of `sent` requests gave every batch floor(sent / perRound)
    // points and the first sent % perRound batches one more
    /** @type {number[] | undefined} */
    let perBatch;
    /** @type {number | undefined} */
    let rate;
    /** @type {ReturnType<typeof summary>[]} */
    const loads = [];
    for (let attempt = 0; !perBatch || Math.min(...perBatch) < 2; attempt++) {
      if (attempt === 6) throw new Error(`some of the ${series} series got fewer than 2 points after ${attempt} loader runs`);
      const missing = perBatch ? 2 - Math.min(...perBatch) : 2;
      // the first run creates the series (slower than updates): sized for ≥ 33k new series/s
      const seconds = rate
        ? Math.min(60, Math.max(5, Math.ceil((1.3 * missing * series) / rate)))
        : Math.min(120, Math.max(5, Math.ceil((series / 50_000) * 1.5)));
      const report = assertClean(await runReplay({ series, rate: MAX_RATE, duration: seconds, protocol: 'http', endpoint: core.httpEndpoint }), 'memory load');
      loads.push(summary(report));
      const perRound = report.requests_per_round;
      perBatch ??= new Array(perRound).fill(0);
      const full = Math.floor(report.requests.sent / perRound);
      const partial = report.requests.sent % perRound;
      for (let b = 0; b < perRound; b++) perBatch[b] += full + (b < partial ? 1 : 0);
      rate = Math.max(10_000, report.achieved_rate);
      ctx.log(
        `memory: loader run ${attempt + 1}: ${report.requests.sent} requests of ${perRound} per round in ${report.duration_seconds} s (${Math.round(report.achieved_rate)} points/s); every series has ≥ ${Math.min(...perBatch)} points`,
      );
    }
    const rounds = Math.min(...perBatch);
    await sleep(3000);
    const after = core.rssBytes();
    const obs = await observatory(core);
    /** @type {Record<string, number | undefined>} */
    const held = {
      store: sampleValue(obs, 'phoenix_store_series'),
      full_fidelity: sampleValue(obs, 'phoenix_pipeline_series', { pipeline: 'full_fidelity' }),
      optimized: sampleValue(obs, 'phoenix_pipeline_series', { pipeline: 'optimized' }),
      experimental_topk: sampleValue(obs, 'phoenix_pipeline_series', { pipeline: 'experimental_topk' }),
    };
    const scrape = await countSamplesStreaming(core.url('fullFidelity'));
    held.scraped_8888 = scrape.samples;
    // what an operator sees: the core as it stays once Prometheus has scraped it (the exposition's
    // buffers the core keeps for the next scrape included)
    await sleep(1000);
    const afterScrape = core.rssBytes();
    if (held.store !== series || held.full_fidelity !== series || scrape.samples !== series) {
      throw new Error(`the core does not hold the ${series} series: ${JSON.stringify(held)}`);
    }
    if (core.exited) throw new Error(`phoenix-core exited (${JSON.stringify(core.exited)})`);
    return {
      bytesPerSeries: (Math.max(after, afterScrape) - idle) / series,
      bytesPerSeriesBeforeScrape: (after - idle) / series,
      idleRssBytes: idle,
      rssBytes: after,
      rssAfterScrapeBytes: afterScrape,
      rounds,
      held,
      scrape8888Ms: scrape.ms,
      scrape8888Bytes: scrape.bytes,
      loads,
    };
  } finally {
    await core.stop();
  }
}

/** @type {(b: number) => number} */
const mib = (b) => Math.round(b / 2 ** 20);

/**
 * @param {import('./lib/config').BenchContext} ctx
 * @returns {Promise<import('./lib/figure').Figure[]>}
 */
async function measureMemory(ctx) {
  const { memoryRuns, memorySeries } = ctx.config;
  const { results, errors } = await repeatRuns(ctx, {
    runs: memoryRuns,
    label: 'memory',
    run: () => memoryRun(ctx, memorySeries),
    describe: (res) =>
      `${Math.round(res.bytesPerSeries)} bytes/series (RSS ${mib(res.idleRssBytes)} → ${mib(res.rssBytes)} MiB after the load, ${mib(res.rssAfterScrapeBytes)} MiB after a scrape of :8888, ≥ ${res.rounds} points per series, series ${JSON.stringify(res.held)})`,
  });
  return [
    figure({
      id: 'memory.bytes_per_series',
      name: `resident memory per input series, all pipelines, at ${memorySeries.toLocaleString('en-US')} series ((RSS after the load and a scrape − idle RSS) / series)`,
      unit: 'bytes/series',
      values: results.map((x) => x.bytesPerSeries),
      target: { op: '<=', value: 1024 },
      errors,
      details: { series: memorySeries, runs: results },
    }),
  ];
}

module.exports = { measureMemory };
