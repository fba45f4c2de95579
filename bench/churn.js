#!/usr/bin/env node
'use strict';
/**
 * `node bench/churn.js`: memory under churn. phoenix-core (separate process, all pipelines) receives
 * SERIES series every second over OTLP/HTTP; every second CHURN_PER_SECOND of its processes are
 * replaced by new PIDs (new series), and series that stop reporting expire after the staleness
 * interval. Reports RSS after the first minute and at the end (issue 8: within 10%), as JSON.
 */
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const { setTimeout: sleep } = require('node:timers/promises');
const { encodeExportRequest } = require('@phoenix/testkit');
const { startCore, observatory, sampleValue } = require('./lib/core');

const SECONDS = Number(process.env.CHURN_SECONDS || 600);
const SERIES = Number(process.env.CHURN_SERIES || 20000);
const CHURN = Number(process.env.CHURN_PER_SECOND || 0.02);
const HOSTS = 10;

async function main() {
  const core = await startCore({ PHOENIX_STALENESS_SECONDS: '30', PHOENIX_SWEEP_INTERVAL_SECONDS: '5', PHOENIX_EMPTY_GROUP_TTL_SECONDS: '10' });
  const httpPort = core.ports.otlpHttp;
  const procsPerHost = Math.ceil(SERIES / HOSTS / 2);
  const pids = Array.from({ length: HOSTS }, (_h, h) => Array.from({ length: procsPerHost }, (_i, i) => h * 1_000_000 + i));
  let nextPid = 10_000_000;
  const agent = new http.Agent({ keepAlive: true });
  /** @type {(body: Buffer) => Promise<void>} */
  const post = (body) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: httpPort,
          path: '/v1/metrics',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  /** @type {{ second: number, rssBytes: number }[]} */
  const samples = [];
  const started = Date.now();
  for (let sec = 1; sec <= SECONDS; sec++) {
    for (let h = 0; h < HOSTS; h++) {
      for (let i = 0; i < pids[h].length; i++) if (Math.random() < CHURN) pids[h][i] = nextPid++;
      const now = BigInt(Date.now()) * 1_000_000n;
      const points = pids[h].flatMap((pid) =>
        ['user', 'system'].map((state) => ({
          asDouble: sec * ((pid % 13) + 1),
          startTimeUnixNano: String(now - 3_600_000_000_000n),
          timeUnixNano: String(now),
          attributes: [
            { key: 'process.pid', value: { intValue: String(pid) } },
            { key: 'process.executable.name', value: { stringValue: `exe-${pid % 40}` } },
            { key: 'process.command_line', value: { stringValue: `/usr/bin/exe-${pid % 40} --id ${pid}` } },
            { key: 'state', value: { stringValue: state } },
          ],
        })),
      );
      await post(
        Buffer.from(
          encodeExportRequest({
            resourceMetrics: [
              {
                resource: { attributes: [{ key: 'host.name', value: { stringValue: `churn-${h}` } }] },
                scopeMetrics: [
                  { metrics: [{ name: 'process.cpu.time', unit: 's', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: points } }] },
                ],
              },
            ],
          }),
        ),
      );
    }
    if (sec % 10 === 0) samples.push({ second: sec, rssBytes: core.rssBytes() });
    const wait = started + sec * 1000 - Date.now();
    if (wait > 0) await sleep(wait);
  }
  const obs = await observatory(core);
  const storeSeries = sampleValue(obs, 'phoenix_store_series') ?? NaN;
  const expired = sampleValue(obs, 'phoenix_store_series_expired_total') ?? NaN;
  await core.stop();
  const atMinute = samples.find((s) => s.second === 60) ?? samples[0];
  const last = samples[samples.length - 1];
  const out = {
    seconds: SECONDS,
    seriesPerSecond: SERIES,
    churnPerSecond: CHURN,
    rssAfterFirstMinuteBytes: atMinute.rssBytes,
    rssAtEndBytes: last.rssBytes,
    endVsFirstMinute: last.rssBytes / atMinute.rssBytes,
    storeSeriesAtEnd: storeSeries,
    seriesExpired: expired,
    samples,
  };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', `churn-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(out, null, 2));
  console.log(JSON.stringify({ ...out, samples: undefined }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
