'use strict';
/**
 * Control-file change applied: a fresh phoenix-core per run holds 2,000 series (one round from the
 * replay loader, so each poll of :8892 is cheap). Each sample writes a valid optimization_mode.yaml
 * (contracts/schemas/optimization_mode.schema.json) whose `mode` moves on in the cycle
 * balanced → aggressive → conservative (active pipeline optimized → experimental_topk →
 * full_fidelity) to a temp file in the same directory, renames it over the control file, takes
 * t0, then GETs :8892/metrics one request after another until its number of sample lines is the
 * one of the new pipeline (measured on :8888/:8889/:8890 before the samples; the three must differ),
 * and takes t1 when that response has arrived. The marker needs outputs that stay put: the series
 * are sent once, and the top-k ranking (which changes experimental_topk's output when it first runs,
 * after PHOENIX_TOPK_RANK_INTERVAL_SECONDS) is pushed out of the run's time (1 h); the run checks
 * at its end that the three outputs still have the counts it measured.
 * Detection resolution: one GET of :8892 (a few ms; median in the details). A random pause of
 * 50–250 ms between samples keeps them from locking onto the watcher's periodic stat check.
 */
const fs = require('node:fs');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { startCore, observatory, sampleValue } = require('./lib/core');
const { oneRound } = require('./lib/replay');
const { timedGet, countSamples } = require('./lib/scrape');
const { figure } = require('./lib/figure');
const { repeatRuns } = require('./lib/runs');
const { distribution, stats, elapsedMs } = require('./lib/stats');

/** @typedef {import('./lib/core').Core} Core */
/** @typedef {'full_fidelity' | 'optimized' | 'experimental_topk'} Pipeline */

/** @type {{ mode: string, pipeline: Pipeline }[]} */
const CYCLE = [
  { mode: 'balanced', pipeline: 'optimized' },
  { mode: 'aggressive', pipeline: 'experimental_topk' },
  { mode: 'conservative', pipeline: 'full_fidelity' },
];
const SAMPLE_TIMEOUT_MS = 5000;

/**
 * @param {string} mode
 * @param {number} generation
 * @returns {string} the text of a valid optimization_mode.yaml
 */
function controlYaml(mode, generation) {
  return [
    'version: 1',
    `generation: ${generation}`,
    `mode: ${mode}`,
    'profile: balanced',
    'topk:',
    '  k: 20',
    'target_series: 20000',
    `updated_at: "${new Date().toISOString()}"`,
    'source: override',
    'reason: "bench/controlFile.js"',
    '',
  ].join('\n');
}

/**
 * Writes the control file as the actuator does: temp file in the same directory, then rename.
 * @param {string} file
 * @param {string} mode
 * @param {number} generation
 */
function writeControlFile(file, mode, generation) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${generation}.tmp`);
  fs.writeFileSync(tmp, controlYaml(mode, generation));
  fs.renameSync(tmp, file);
}

/**
 * @param {Core} core
 * @param {number} generation
 * @param {number} [timeoutMs]
 * @returns {Promise<string>} the observatory text that shows the generation in force
 */
async function waitForGeneration(core, generation, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await observatory(core);
    if (sampleValue(text, 'phoenix_control_generation') === generation) return text;
    if (Date.now() > deadline) throw new Error(`control file generation ${generation} not applied within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** @type {[Pipeline, import('./lib/core').CorePort][]} */
const PIPELINE_PORTS = [
  ['full_fidelity', 'fullFidelity'],
  ['optimized', 'optimized'],
  ['experimental_topk', 'experimentalTopk'],
];

/**
 * Sample lines of each pipeline's own endpoint.
 * @param {Core} core
 * @returns {Promise<Record<Pipeline, number>>}
 */
async function pipelineCounts(core) {
  /** @type {Record<Pipeline, number>} */
  const count = { full_fidelity: 0, optimized: 0, experimental_topk: 0 };
  for (const [pipeline, port] of PIPELINE_PORTS) {
    count[pipeline] = countSamples((await timedGet(core.url(port), { keepBody: true })).body);
  }
  return count;
}

/**
 * @param {number} samples
 * @param {number} series
 */
async function controlRun(samples, series) {
  const core = await startCore({ PHOENIX_TOPK_RANK_INTERVAL_SECONDS: '3600' });
  try {
    await oneRound({ series, endpoint: core.httpEndpoint });
    let generation = 1;
    writeControlFile(core.controlFile, 'conservative', generation);
    await waitForGeneration(core, generation);
    // the sample lines of each pipeline: the marker of which one :8892 serves
    const count = await pipelineCounts(core);
    if (new Set(Object.values(count)).size !== 3)
      throw new Error(`the pipelines expose the same number of series (${JSON.stringify(count)}): no marker for the switch`);
    if (count.full_fidelity !== series) throw new Error(`:8888 exposes ${count.full_fidelity} series, expected ${series}`);
    /** @type {number[]} */
    const latencies = [];
    /** @type {number[]} */
    const pollMs = [];
    /** @type {string[]} */
    const errors = [];
    for (let i = 0; i < samples; i++) {
      const next = CYCLE[i % CYCLE.length];
      generation++;
      writeControlFile(core.controlFile, next.mode, generation);
      const t0 = process.hrtime.bigint();
      for (;;) {
        const r = await timedGet(core.url('active'), { keepBody: true });
        pollMs.push(r.ms);
        if (countSamples(r.body) === count[next.pipeline]) {
          latencies.push(Number(r.ended - t0) / 1e6);
          break;
        }
        if (elapsedMs(t0) > SAMPLE_TIMEOUT_MS) {
          const now = await pipelineCounts(core);
          errors.push(
            `sample ${i + 1} (${next.mode}): :8892 (${countSamples(r.body)} series) not switched to ${next.pipeline} within ${SAMPLE_TIMEOUT_MS} ms (pipelines then ${JSON.stringify(now)}, at the start ${JSON.stringify(count)})`,
          );
          latencies.push(elapsedMs(t0));
          break;
        }
      }
      await sleep(50 + Math.random() * 200);
    }
    // every write applied, none rejected
    const obs = await waitForGeneration(core, generation);
    const rejected = sampleValue(obs, 'phoenix_control_file_reloads_total', { result: 'rejected' });
    if (rejected !== undefined && rejected > 0) errors.push(`${rejected} control files rejected`);
    const end = await pipelineCounts(core);
    if (JSON.stringify(end) !== JSON.stringify(count))
      errors.push(`the pipelines' outputs changed during the run (${JSON.stringify(count)} → ${JSON.stringify(end)}): the marker was not reliable`);
    return { latency: distribution(latencies), pollMs: stats(pollMs).median, polls: pollMs.length, seriesPerPipeline: count, errors, latencies };
  } finally {
    await core.stop();
  }
}

/**
 * @param {import('./lib/config').BenchContext} ctx
 * @returns {Promise<import('./lib/figure').Figure[]>}
 */
async function measureControl(ctx) {
  const { runs, controlSamples, controlSeries } = ctx.config;
  const { results, errors } = await repeatRuns(ctx, {
    runs,
    label: 'control',
    run: () => controlRun(controlSamples, controlSeries),
    describe: (res) => {
      const l = res.latency;
      return `p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(1)} ms (${l.count} samples, poll ${res.pollMs.toFixed(2)} ms)`;
    },
  });
  const details = {
    series: controlSeries,
    samplesPerRun: controlSamples,
    detectionResolutionMs: stats(results.map((x) => x.pollMs)).median,
    runs: results.map((x) => ({
      latency: x.latency,
      pollMedianMs: x.pollMs,
      polls: x.polls,
      seriesPerPipeline: x.seriesPerPipeline,
      samplesMs: x.latencies.map((v) => Math.round(v * 100) / 100),
    })),
  };
  return [
    figure({
      id: 'control.p99_ms',
      name: `control-file change applied (rename → :8892 switched), p99 of ${controlSamples} samples`,
      unit: 'ms',
      values: results.map((x) => x.latency.p99),
      target: { op: '<=', value: 200 },
      errors,
      details,
    }),
    figure({ id: 'control.p50_ms', name: '… p50', unit: 'ms', values: results.map((x) => x.latency.p50), errors }),
    figure({ id: 'control.max_ms', name: '… max', unit: 'ms', values: results.map((x) => x.latency.max), errors }),
  ];
}

module.exports = { measureControl, controlYaml, writeControlFile };
