#!/usr/bin/env node
'use strict';
/**
 * `npm run bench` (= build, then `node bench/run.js`): every figure of the benchmark table, each the
 * median of several runs with min and max, against phoenix-core started as a separate process per
 * run and loaded by the generators' replay loader in another process. Writes one JSON file per
 * invocation to bench/results/<iso-time>.json and prints a markdown table on stderr (and a compact
 * JSON summary on stdout). Exit code 1 when a figure failed (a run errored, a load had failed
 * requests); a missed target is reported in the table and the file, not as an exit code.
 * Knobs: see lib/config.js and bench/README.md.
 */
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { loadConfig } = require('./lib/config');
const { figure, markdownTable } = require('./lib/figure');
const { pinning } = require('./lib/core');
const { measureIngest } = require('./ingest');
const { measureRender } = require('./render');
const { measureControl } = require('./controlFile');
const { measureFreshness } = require('./freshness');
const { measureScrapeInterference } = require('./scrapeInterference');
const { measureMemory } = require('./memory');
const { measureFleet } = require('./fleet');

/** @type {Record<string, (ctx: import('./lib/config').BenchContext) => Promise<import('./lib/figure').Figure[]>>} */
const MEASURES = {
  ingest: measureIngest,
  render: measureRender,
  control: measureControl,
  freshness: measureFreshness,
  scrape: measureScrapeInterference,
  memory: measureMemory,
  fleet: measureFleet,
};

/**
 * @param {string} args
 * @returns {string | undefined} git's output, undefined when git fails
 */
function git(args) {
  try {
    return execSync(`git ${args}`, { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

/** @param {string} msg */
function log(msg) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

async function main() {
  const config = loadConfig();
  const startedAt = new Date();
  const status = git('status --porcelain -- modules contracts');
  // the fields set at the end are declared here, so that the JSON keeps its order
  const result = {
    startedAt: startedAt.toISOString(),
    machine: {
      cpuModel: os.cpus()[0]?.model,
      cores: os.cpus().length,
      memoryBytes: os.totalmem(),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAverageAtStart: os.loadavg(),
      loadAverageAtEnd: /** @type {number[] | undefined} */ (undefined),
    },
    git: { commit: git('rev-parse HEAD') ?? 'unknown', uncommittedChangesInModules: status === undefined ? undefined : status.length > 0 },
    pinning: pinning() ?? 'none',
    config,
    figures: /** @type {import('./lib/figure').Figure[]} */ ([]),
    finishedAt: /** @type {string | undefined} */ (undefined),
    durationSeconds: /** @type {number | undefined} */ (undefined),
  };
  /** @type {import('./lib/config').BenchContext} */
  const ctx = { config, log, maxHttpRate: undefined };
  log(
    `groups ${config.groups.join(', ')}; ${config.runs} runs per figure (memory ${config.memoryRuns})${config.quick ? ', QUICK' : ''}; pinning ${JSON.stringify(result.pinning)}`,
  );
  for (const group of config.groups) {
    const t0 = Date.now();
    log(`${group} ...`);
    try {
      result.figures.push(...(await MEASURES[group](ctx)));
    } catch (e) {
      const err = /** @type {Error} */ (e);
      log(`${group} FAILED: ${err.stack || err.message}`);
      result.figures.push(figure({ id: `${group}.error`, name: `${group} (the whole group failed)`, unit: '', values: [], errors: [err.message] }));
    }
    log(`${group} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  result.finishedAt = new Date().toISOString();
  result.durationSeconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
  result.machine.loadAverageAtEnd = os.loadavg();
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${result.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  const failed = result.figures.filter((f) => f.errors.length > 0);
  const missed = result.figures.filter((f) => f.met === false && f.errors.length === 0);
  process.stderr.write(
    `\n${result.machine.cpuModel} × ${result.machine.cores}, Node ${result.machine.node}, commit ${result.git.commit.slice(0, 12)}${result.git.uncommittedChangesInModules ? ' (+ uncommitted changes)' : ''}, ${result.durationSeconds} s\n\n${markdownTable(result.figures)}\n\nwritten ${path.relative(process.cwd(), file)}; ${failed.length} figures failed, ${missed.length} targets missed\n`,
  );
  const compact = result.figures.map(({ id, unit, median, min, max, runs, target, met, errors }) => ({
    id,
    unit,
    median,
    min,
    max,
    runs,
    target: target?.text ?? null,
    met,
    failed: errors.length > 0,
  }));
  process.stdout.write(JSON.stringify({ file, figures: compact }, null, 2) + '\n');
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
