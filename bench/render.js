'use strict';
/**
 * Rendering /metrics with N series (default 100k):
 *  - over HTTP: a fresh phoenix-core per run receives one round of N series from the replay
 *    loader; after one warm-up scrape, BENCH_RENDER_SCRAPES timed GETs of :8888/metrics (request
 *    start → last byte, in this process); the run's value is their median. The core's own render
 *    time (phoenix_exporter_render_seconds on :8891) is kept in the details.
 *  - in process: the same N series (the replay loader's encoder) ingested into a SeriesStore in
 *    this process; phoenix's exposition (renderStore + ExpositionWriter to bytes) against
 *    prom-client's registry.metrics() for a gauge with the same label sets and values, alternated
 *    in the same process and run (a child `node --expose-gc bench/render.js --compare N R`, so
 *    that a full GC before each timed render keeps one renderer's garbage off the other's time);
 *    the speed-up is prom-client's time over phoenix's per iteration.
 */
const { spawn } = require('node:child_process');
const { startCore, observatory, sampleValue, track } = require('./lib/core');
const { oneRound } = require('./lib/replay');
const { timedGet, countSamples } = require('./lib/scrape');
const { figure } = require('./lib/figure');
const { repeatRuns } = require('./lib/runs');
const { stats } = require('./lib/stats');

/**
 * The core's render time of :8888 so far (NaN when it does not show it).
 * @param {import('./lib/core').Core} core
 * @returns {Promise<{ sum: number, count: number }>}
 */
async function renderSeconds(core) {
  const text = await observatory(core);
  const labels = { exporter: 'full_fidelity' };
  return {
    sum: sampleValue(text, 'phoenix_exporter_render_seconds_sum', labels) ?? NaN,
    count: sampleValue(text, 'phoenix_exporter_render_seconds_count', labels) ?? NaN,
  };
}

/**
 * @param {number} series
 * @param {number} scrapes
 */
async function httpRenderRun(series, scrapes) {
  const core = await startCore();
  try {
    await oneRound({ series, endpoint: core.httpEndpoint });
    const warm = await timedGet(core.url('fullFidelity'), { keepBody: true });
    const samples = countSamples(warm.body);
    if (samples !== series) throw new Error(`:8888 exposes ${samples} series, expected ${series}`);
    const before = await renderSeconds(core);
    /** @type {number[]} */
    const ms = [];
    let bytes = 0;
    for (let i = 0; i < scrapes; i++) {
      const r = await timedGet(core.url('fullFidelity'));
      ms.push(r.ms);
      bytes = r.bytes;
    }
    const after = await renderSeconds(core);
    const serverMs = ((after.sum - before.sum) / (after.count - before.count)) * 1000;
    return { ms: stats(ms).median, scrapesMs: ms, serverRenderMs: serverMs, bytes };
  } finally {
    await core.stop();
  }
}

/**
 * A series' labels as [name, value] pairs (the store keeps them flat: [name, value, …]).
 * @param {readonly string[]} labels
 * @returns {[string, string][]}
 */
function labelPairs(labels) {
  /** @type {[string, string][]} */
  const out = [];
  for (let i = 0; i < labels.length; i += 2) out.push([labels[i], labels[i + 1]]);
  return out;
}

/**
 * phoenix vs prom-client in this process on the replay loader's N series.
 * @param {number} series
 * @param {number} runs
 */
async function renderComparison(series, runs) {
  const { ManualClock, silentLogger } = require('@phoenix/runtime');
  const { SeriesStore, defaultSeriesStoreConfig, ExpositionWriter, renderStore, decodeProtobufRequest } = require('@phoenix/core');
  const { encodeReplayRequests, stampRequest } = require('@phoenix/generators');
  const promClient = require('prom-client');
  const store = new SeriesStore({ ...defaultSeriesStoreConfig, maxSeries: 10_000_000 }, new ManualClock(), silentLogger());
  const start = BigInt(Date.now()) * 1_000_000n;
  for (const r of encodeReplayRequests({ series, batchSize: 1000, seriesPerHost: 1000, startTimeUnixNano: start })) {
    store.ingest(decodeProtobufRequest(stampRequest(r, start + 1_000_000_000n, 0), { lazyAttributes: true }));
  }
  if (store.size !== series) throw new Error(`in-process store holds ${store.size} series, expected ${series}`);
  const registry = new promClient.Registry();
  const fam = [...store.families.values()][0];
  const first = fam.series.values().next();
  if (first.done) throw new Error(`in-process store: family ${fam.name} has no series`);
  const names = labelPairs(first.value.labels).map(([k]) => k);
  const gauge = new promClient.Gauge({ name: fam.name, help: fam.help || fam.otelName, labelNames: names, registers: [registry] });
  for (const s of fam.series.values()) gauge.set(Object.fromEntries(labelPairs(s.labels)), s.value);
  /** @type {number[]} */
  const phoenix = [];
  /** @type {number[]} */
  const prom = [];
  let phoenixBytes = 0;
  let promBytes = 0;
  const gc = typeof globalThis.gc === 'function' ? globalThis.gc : () => {};
  for (let i = 0; i < runs + 1; i++) {
    gc();
    let t0 = process.hrtime.bigint();
    const w = new ExpositionWriter();
    renderStore(store, w);
    const bufs = w.buffers();
    const a = Number(process.hrtime.bigint() - t0) / 1e6;
    phoenixBytes = bufs.reduce((n, x) => n + x.length, 0);
    gc();
    t0 = process.hrtime.bigint();
    const text = Buffer.from(await registry.metrics());
    const b = Number(process.hrtime.bigint() - t0) / 1e6;
    promBytes = text.length;
    // the first iteration warms both up
    if (i > 0) {
      phoenix.push(a);
      prom.push(b);
    }
  }
  return { series: store.size, phoenix, prom, phoenixBytes, promBytes, gc: typeof globalThis.gc === 'function' };
}

/** @typedef {Awaited<ReturnType<typeof renderComparison>>} Comparison */

/**
 * renderComparison in a child process with --expose-gc; resolves with its result.
 * @param {number} series
 * @param {number} runs
 * @returns {Promise<Comparison>}
 */
function renderComparisonInChild(series, runs) {
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(process.execPath, ['--expose-gc', __filename, '--compare', String(series), String(runs)], { stdio: ['ignore', 'pipe', 'inherit'] }),
    );
    /** @type {Buffer[]} */
    const out = [];
    child.stdout.on('data', (c) => out.push(c));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`in-process render comparison exited with ${code}`));
      try {
        resolve(JSON.parse(Buffer.concat(out).toString()));
      } catch (err) {
        reject(err);
      }
    });
  });
}

/**
 * @param {import('./lib/config').BenchContext} ctx
 * @returns {Promise<import('./lib/figure').Figure[]>}
 */
async function measureRender(ctx) {
  const { runs, series, renderScrapes } = ctx.config;
  const { results: httpRuns, errors: httpErrors } = await repeatRuns(ctx, {
    runs,
    label: 'render :8888',
    run: () => httpRenderRun(series, renderScrapes),
    describe: (res) => `${res.ms.toFixed(1)} ms (core render ${res.serverRenderMs.toFixed(1)} ms, ${res.bytes} bytes)`,
  });
  const figures = [
    figure({
      id: 'render.http_full_fidelity_ms',
      name: `render GET :8888/metrics with ${series.toLocaleString('en-US')} series (request → last byte)`,
      unit: 'ms',
      values: httpRuns.map((x) => x.ms),
      target: { op: '<=', value: 100 },
      errors: httpErrors,
      details: { series, scrapesPerRun: renderScrapes, runs: httpRuns },
    }),
    figure({
      id: 'render.core_render_ms',
      name: '… of which the core rendering (phoenix_exporter_render_seconds)',
      unit: 'ms',
      values: httpRuns.map((x) => x.serverRenderMs),
      errors: httpErrors,
    }),
  ];
  /** @type {Comparison | undefined} */
  let cmp;
  /** @type {string[]} */
  const cmpErrors = [];
  try {
    cmp = await renderComparisonInChild(series, Math.max(runs, 5));
  } catch (err) {
    cmpErrors.push(/** @type {Error} */ (err).message);
  }
  const speedups = cmp ? cmp.prom.map((p, i) => p / cmp.phoenix[i]) : [];
  const details = cmp ? { series: cmp.series, phoenixBytes: cmp.phoenixBytes, promClientBytes: cmp.promBytes } : undefined;
  figures.push(
    figure({
      id: 'render.in_process_phoenix_ms',
      name: `render in-process, phoenix, ${series.toLocaleString('en-US')} series`,
      unit: 'ms',
      values: cmp?.phoenix ?? [],
      errors: cmpErrors,
      details,
    }),
    figure({
      id: 'render.in_process_prom_client_ms',
      name: '… prom-client, same series, same process',
      unit: 'ms',
      values: cmp?.prom ?? [],
      errors: cmpErrors,
    }),
    figure({
      id: 'render.speedup_over_prom_client',
      name: 'render speed-up over prom-client (per run: prom-client / phoenix)',
      unit: 'x',
      values: speedups,
      target: { op: '>=', value: 3 },
      errors: cmpErrors,
    }),
  );
  if (cmp) ctx.log(`render in-process: phoenix ${stats(cmp.phoenix).median.toFixed(1)} ms, prom-client ${stats(cmp.prom).median.toFixed(1)} ms`);
  return figures;
}

module.exports = { measureRender };

if (require.main === module && process.argv[2] === '--compare') {
  renderComparison(Number(process.argv[3]), Number(process.argv[4])).then(
    (r) => process.stdout.write(JSON.stringify(r)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
