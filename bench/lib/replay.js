'use strict';
/**
 * The load of every benchmark: the generators' fixed-rate replay loader
 * (modules/phoenix-generators/dist/replay/cli.js) in a separate process. It pre-encodes OTLP
 * requests for N series, then sends every series once per round (fresh timestamps, increasing
 * cumulative values patched into the bytes) at --rate points/s for --duration seconds of wall time,
 * and prints a JSON report on stdout.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const { pinning, pinnedCommand, track, cpuSeconds } = require('./core');

const CLI = path.join(__dirname, '../../modules/phoenix-generators/dist/replay/cli.js');

/** A rate no loader reaches: send as fast as the receiver answers. */
const MAX_RATE = 100_000_000;

/**
 * Starts the loader; returns { promise, child } where promise resolves with the parsed report
 * (rejects if the process fails or prints no JSON).
 */
function startReplay({ series, rate = MAX_RATE, duration, protocol = 'http', endpoint, concurrency, batchSize, seriesPerHost, timeoutMs }) {
  const args = [CLI, '--series', String(series), '--rate', String(rate), '--duration', String(duration), '--protocol', protocol, '--endpoint', endpoint];
  if (concurrency !== undefined) args.push('--concurrency', String(concurrency));
  if (batchSize !== undefined) args.push('--batch-size', String(batchSize));
  if (seriesPerHost !== undefined) args.push('--series-per-host', String(seriesPerHost));
  if (timeoutMs !== undefined) args.push('--timeout-ms', String(timeoutMs));
  const { cmd, args: argv } = pinnedCommand(pinning()?.load, args);
  const child = track(spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] }));
  const out = [];
  const err = [];
  child.stdout.on('data', (c) => out.push(c));
  child.stderr.on('data', (c) => err.push(c));
  // the loader's CPU time, sampled while it runs (it cannot be read after it exited)
  let cpu = 0;
  const cpuTimer = setInterval(() => {
    try {
      cpu = cpuSeconds(child.pid);
    } catch {
      // exited
    }
  }, 200);
  const promise = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearInterval(cpuTimer);
      const stdout = Buffer.concat(out).toString();
      const stderr = Buffer.concat(err).toString().trim();
      if (code !== 0) return reject(new Error(`replay loader exited with ${code ?? signal}: ${stderr || stdout}`));
      try {
        const report = JSON.parse(stdout);
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

/** Runs the loader to completion; resolves with its report. */
function runReplay(opts) {
  return startReplay(opts).promise;
}

/**
 * Throws (loudly: the figure fails) if the report shows any failed request, rejected point or
 * nothing accepted. `what` names the measurement in the message.
 */
function assertClean(report, what) {
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

/** The fields of a report worth keeping in the results file. */
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
 */
async function oneRound({ series, endpoint, protocol = 'http', batchSize, seconds = Math.max(1, series / 50_000) }) {
  let report;
  // a busy machine may not take the round within `seconds`: again with more time (the series that
  // got their point are simply updated)
  for (const s of [seconds, seconds * 4]) {
    report = await runReplay({ series, rate: series / s, duration: s, endpoint, protocol, batchSize });
    assertClean(report, `one round of ${series} series`);
    if (report.rounds === 1 && report.data_points.accepted === series) return report;
  }
  throw new Error(`one round of ${series} series: sent ${report.data_points.sent} points in ${report.rounds} rounds within ${seconds * 4} s`);
}

module.exports = { startReplay, runReplay, assertClean, summary, oneRound, MAX_RATE };
