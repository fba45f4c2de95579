'use strict';
/**
 * The load of every benchmark: the generators' fixed-rate replay loader (the program
 * `phoenix-replay` of @phoenix/generators) in a separate process. It pre-encodes OTLP
 * requests for N series, then sends every series once per round (fresh timestamps, increasing
 * cumulative values patched into the bytes) at --rate points/s for --duration seconds of wall time,
 * and prints a JSON report on stdout.
 */
const { spawn } = require('node:child_process');
const { pinning, pinnedCommand, track, cpuSeconds } = require('./core');

const { packageBin } = require('../../scripts/lib/packageBin');

const CLI = packageBin('@phoenix/generators', 'phoenix-replay');

/**
 * The loader's JSON report, with the CPU time the loader used.
 * @typedef {import('@phoenix/contracts').GeneratorsReplayReport & { loader_cpu_seconds: number }} ReplayReport
 */

/**
 * What the loader sends (its command line).
 * @typedef {object} ReplayLoad
 * @property {number} series
 * @property {number} [rate] data points per second (default MAX_RATE)
 * @property {number} duration seconds of wall time
 * @property {import('@phoenix/generators').ReplayProtocol} [protocol] default http
 * @property {string} endpoint
 * @property {number} [concurrency]
 * @property {number} [batchSize]
 * @property {number} [seriesPerHost]
 * @property {number} [timeoutMs]
 */

/** A rate no loader reaches: send as fast as the receiver answers. */
const MAX_RATE = 100_000_000;

/**
 * Starts the loader; returns { promise, child } where promise resolves with the parsed report
 * (rejects if the process fails or prints no JSON).
 * @param {ReplayLoad} load
 * @returns {{ child: import('node:child_process').ChildProcessByStdio<null, import('node:stream').Readable, import('node:stream').Readable>, promise: Promise<ReplayReport> }}
 */
function startReplay({ series, rate = MAX_RATE, duration, protocol = 'http', endpoint, concurrency, batchSize, seriesPerHost, timeoutMs }) {
  const args = [CLI, '--series', String(series), '--rate', String(rate), '--duration', String(duration), '--protocol', protocol, '--endpoint', endpoint];
  if (concurrency !== undefined) args.push('--concurrency', String(concurrency));
  if (batchSize !== undefined) args.push('--batch-size', String(batchSize));
  if (seriesPerHost !== undefined) args.push('--series-per-host', String(seriesPerHost));
  if (timeoutMs !== undefined) args.push('--timeout-ms', String(timeoutMs));
  const { cmd, args: argv } = pinnedCommand(pinning()?.load, args);
  const child = track(spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] }));
  /** @type {Buffer[]} */
  const out = [];
  /** @type {Buffer[]} */
  const err = [];
  child.stdout.on('data', (c) => out.push(c));
  child.stderr.on('data', (c) => err.push(c));
  // the loader's CPU time, sampled while it runs (it cannot be read after it exited)
  let cpu = 0;
  const cpuTimer = setInterval(() => {
    try {
      cpu = cpuSeconds(/** @type {number} */ (child.pid));
    } catch {
      // exited
    }
  }, 200);
  /** @type {Promise<ReplayReport>} */
  const promise = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearInterval(cpuTimer);
      const stdout = Buffer.concat(out).toString();
      const stderr = Buffer.concat(err).toString().trim();
      if (code !== 0) return reject(new Error(`replay loader exited with ${code ?? signal}: ${stderr || stdout}`));
      try {
        const report = /** @type {ReplayReport} */ (JSON.parse(stdout));
        // approximate (last sample up to 200 ms before the end; includes pre-encoding)
        report.loader_cpu_seconds = cpu;
        resolve(report);
      } catch {
        reject(new Error(`replay loader printed no JSON report: ${stdout.slice(0, 500)} ${stderr}`));
      }
    });
  });
  return { child, promise };
}

/**
 * Runs the loader to completion; resolves with its report.
 * @param {ReplayLoad} opts
 * @returns {Promise<ReplayReport>}
 */
function runReplay(opts) {
  return startReplay(opts).promise;
}

/**
 * Throws (loudly: the figure fails) if the report shows any failed request, rejected point or
 * nothing accepted. `what` names the measurement in the message.
 * @param {ReplayReport} report
 * @param {string} what
 * @returns {ReplayReport} the report
 */
function assertClean(report, what) {
  /** @type {string[]} */
  const problems = [];
  if (report.requests.failed > 0) problems.push(`${report.requests.failed} of ${report.requests.sent} requests failed`);
  if (report.requests.partial > 0) problems.push(`${report.requests.partial} requests partially rejected`);
  if (report.data_points.rejected > 0) problems.push(`${report.data_points.rejected} data points rejected`);
  if (report.data_points.accepted <= 0) problems.push('no data point accepted');
  if (problems.length > 0) {
    const errors = (report.errors || []).map((e) => `${e.message} (x${e.count})`).join('; ');
    throw new Error(`${what}: replay load not clean: ${problems.join(', ')}${errors ? `; errors: ${errors}` : ''}`);
  }
  return report;
}

/**
 * The fields of a report worth keeping in the results file.
 * @param {ReplayReport} report
 */
function summary(report) {
  return {
    protocol: report.protocol,
    series: report.series,
    batch_size: report.batch_size,
    concurrency: report.concurrency,
    target_rate: report.target_rate,
    duration_seconds: report.duration_seconds,
    rounds: report.rounds,
    requests: report.requests,
    data_points: report.data_points,
    achieved_rate: report.achieved_rate,
    latency_ms: report.latency_ms,
    loader_cpu_seconds: report.loader_cpu_seconds,
  };
}

/**
 * Sends each of `series` series exactly once (one round), e.g. to create them before a measurement:
 * rate = series / d for d seconds. The loader's allowance is rate × elapsed + one batch, so the last
 * batch of the round is allowed before d and the next round's first batch only at d, when the
 * loop stops. Throws unless the whole round was sent and accepted.
 * @param {{ series: number, endpoint: string, protocol?: import('@phoenix/generators').ReplayProtocol, batchSize?: number, seconds?: number }} round
 * @returns {Promise<ReplayReport>}
 */
async function oneRound({ series, endpoint, protocol = 'http', batchSize, seconds = Math.max(1, series / 50_000) }) {
  /** @type {ReplayReport | undefined} */
  let report;
  // a busy machine may not take the round within `seconds`: again with more time (the series that
  // got their point are simply updated)
  for (const s of [seconds, seconds * 4]) {
    report = await runReplay({ series, rate: series / s, duration: s, endpoint, protocol, batchSize });
    assertClean(report, `one round of ${series} series`);
    if (report.rounds === 1 && report.data_points.accepted === series) return report;
  }
  throw new Error(`one round of ${series} series: sent ${report?.data_points.sent} points in ${report?.rounds} rounds within ${seconds * 4} s`);
}

module.exports = { startReplay, runReplay, assertClean, summary, oneRound, MAX_RATE };
