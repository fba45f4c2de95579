'use strict';
/**
 * Pre-encoded OTLP load for the benchmarks: builds ExportMetricsServiceRequest bodies for a given
 * number of series (process metrics with five attributes per point) with protobufjs over the
 * vendored .proto files, and sends them over OTLP/HTTP or OTLP/gRPC with bounded concurrency.
 */
const http = require('node:http');
const grpc = require('@grpc/grpc-js');
const { encodeExportRequest } = require('../modules/phoenix-testkit/dist/otlpProto');

const NS = 1_000_000n;

/** Requests covering `series` series: `hosts` hosts, each with processes × 2 CPU states. */
function buildRequests({ series, pointsPerRequest = 1000, round = 1, hosts = 10 }) {
  const perHost = Math.ceil(series / hosts);
  const requests = [];
  const now = BigInt(Date.now()) * NS;
  let made = 0;
  for (let h = 0; h < hosts && made < series; h++) {
    let points = [];
    const flush = () => {
      if (points.length === 0) return;
      requests.push({
        points: points.length,
        body: Buffer.from(
          encodeExportRequest({
            resourceMetrics: [
              {
                resource: { attributes: [{ key: 'host.name', value: { stringValue: `bench-host-${h}` } }, { key: 'service.name', value: { stringValue: 'bench' } }] },
                scopeMetrics: [{ scope: { name: 'bench' }, metrics: [{ name: 'process.cpu.time', unit: 's', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: points } }] }],
              },
            ],
          }),
        ),
      });
      points = [];
    };
    for (let i = 0; i < perHost && made < series; i++, made++) {
      const proc = Math.floor(i / 2);
      points.push({
        asDouble: round * (1 + (proc % 97)) * 0.01,
        startTimeUnixNano: (now - 3_600_000n * NS).toString(),
        timeUnixNano: (now + BigInt(round) * 1000n * NS).toString(),
        attributes: [
          { key: 'process.pid', value: { intValue: String(10_000 + proc) } },
          { key: 'process.executable.name', value: { stringValue: `proc-${proc % 50}` } },
          { key: 'process.command_line', value: { stringValue: `/usr/bin/proc-${proc % 50} --worker ${proc}` } },
          { key: 'process.owner', value: { stringValue: proc % 3 === 0 ? 'root' : 'app' } },
          { key: 'state', value: { stringValue: i % 2 === 0 ? 'user' : 'system' } },
        ],
      });
      if (points.length >= pointsPerRequest) flush();
    }
    flush();
  }
  return requests;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function postHttp(port, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/v1/metrics', method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function grpcClient(port) {
  const identity = (b) => b;
  const Ctor = grpc.makeGenericClientConstructor(
    { Export: { path: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export', requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity } },
    'MetricsService',
  );
  return new Ctor(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

/** Sends every request `rounds` times with `concurrency` in flight; returns throughput and latencies. */
async function send({ protocol, port, requests, rounds = 1, concurrency = 8 }) {
  const client = protocol === 'grpc' ? grpcClient(port) : undefined;
  const one = (body) =>
    protocol === 'grpc' ? new Promise((resolve, reject) => client.Export(body, (err) => (err ? reject(err) : resolve()))) : postHttp(port, body);
  const latencies = [];
  let points = 0;
  const queue = [];
  for (let r = 0; r < rounds; r++) for (const q of requests) queue.push(q);
  let next = 0;
  const started = process.hrtime.bigint();
  async function worker() {
    while (next < queue.length) {
      const q = queue[next++];
      const t0 = process.hrtime.bigint();
      await one(q.body);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      points += q.points;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  client?.close();
  latencies.sort((a, b) => a - b);
  return { points, seconds, pointsPerSecond: points / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), requests: latencies.length };
}

module.exports = { buildRequests, send, percentile };
