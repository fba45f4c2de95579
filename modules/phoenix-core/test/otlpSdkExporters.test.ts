/**
 * Drives the receivers with the real OpenTelemetry JS exporters (gRPC, HTTP/JSON, HTTP/protobuf)
 * from an SDK MeterProvider and asserts the exact exposition on the full-fidelity endpoint.
 */
import { metrics as _metricsApi } from '@opentelemetry/api';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { AggregationTemporalityPreference, OTLPMetricExporter as HttpJsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as HttpProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { parseExposition, sampleValue, findSamples } from '@phoenix/runtime';
import type { CoreFront } from '../src/service/coreFront';
import { scrape, startCore, startShardedCore } from './startCore';

void _metricsApi;

type Protocol = 'grpc' | 'http/json' | 'http/protobuf';

function makeExporter(protocol: Protocol, grpcPort: number, httpUrl: string, temporality: AggregationTemporalityPreference): PushMetricExporter {
  switch (protocol) {
    case 'grpc':
      return new GrpcExporter({ url: `http://127.0.0.1:${grpcPort}`, temporalityPreference: temporality });
    case 'http/json':
      return new HttpJsonExporter({ url: httpUrl, temporalityPreference: temporality });
    case 'http/protobuf':
      return new HttpProtoExporter({ url: httpUrl, temporalityPreference: temporality });
  }
}

function makeProvider(exporter: PushMetricExporter, host: string) {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'host.name': host, 'service.name': 'checkout', 'os.type': 'linux' }),
    readers: [reader],
  });
  return { provider, reader, meter: provider.getMeter('phoenix-test', '1.0.0') };
}

// the same receivers in front of the single-threaded core and of a sharded core (2 worker threads)
describe.each(['single-threaded', 'sharded'] as const)('OTLP receivers with the real OpenTelemetry JS exporters (%s core)', (kind) => {
  let core: { front: CoreFront; stop(): Promise<void> };
  let storeSeries: () => Promise<number>;
  let ffUrl: string;
  let httpUrl: string;
  beforeAll(async () => {
    if (kind === 'sharded') {
      const started = await startShardedCore(2);
      core = started.core;
      storeSeries = async () => (await started.core.pool.stats()).reduce((n, s) => n + s.store.series, 0);
      ffUrl = started.url('fullFidelity');
      httpUrl = started.url('otlpHttp');
    } else {
      const started = await startCore();
      core = started.core;
      storeSeries = () => Promise.resolve(started.core.store.size);
      ffUrl = started.url('fullFidelity');
      httpUrl = started.url('otlpHttp');
    }
  });
  afterAll(async () => {
    await core.stop();
  });

  const protocols: Protocol[] = ['grpc', 'http/json', 'http/protobuf'];

  test.each(protocols)('%s: counters, up-down counters, gauges and histograms arrive with exact names, labels and values', async (protocol) => {
    const host = `host-${protocol.replace('/', '-')}`;
    const { provider, reader, meter } = makeProvider(makeExporter(protocol, core.front.grpc.port, httpUrl, AggregationTemporalityPreference.CUMULATIVE), host);
    const requests = meter.createCounter('http.server.requests', { description: 'Requests served', unit: '{request}' });
    const cpu = meter.createCounter('process.cpu.time', { unit: 's' });
    const queue = meter.createUpDownCounter('queue.depth', { unit: '{item}' });
    const temp = meter.createGauge('room.temperature', { unit: 'Cel' });
    const util = meter.createGauge('cpu.utilization', { unit: '1' });
    const latency = meter.createHistogram('http.server.duration', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100] } });
    requests.add(5, { route: '/a' });
    requests.add(2, { route: '/b' });
    requests.add(1, { route: '/a' });
    cpu.add(1.25, { state: 'user', 'process.pid': 42 });
    queue.add(10);
    queue.add(-3);
    temp.record(21.5, { room: 'lab' });
    util.record(0.75);
    latency.record(5, { route: '/a' });
    latency.record(50, { route: '/a' });
    latency.record(500, { route: '/a' });
    await reader.forceFlush();

    const exp = parseExposition(await scrape(ffUrl), { strict: true });
    const base = { host_name: host, service_name: 'checkout' };
    expect(findSamples(exp, 'http_server_requests_total', { host_name: host })).toHaveLength(2);
    expect(sampleValue(exp, 'http_server_requests_total', { ...base, route: '/a' })).toBe(6);
    expect(sampleValue(exp, 'http_server_requests_total', { ...base, route: '/b' })).toBe(2);
    expect(exp.types.http_server_requests_total).toBe('counter');
    expect(exp.help.http_server_requests_total).toBe('Requests served');
    const cpuSample = findSamples(exp, 'process_cpu_time_seconds_total', { host_name: host });
    expect(cpuSample).toHaveLength(1);
    expect(cpuSample[0].labels).toEqual({ ...base, state: 'user', process_pid: '42' });
    expect(cpuSample[0].value).toBe(1.25);
    expect(sampleValue(exp, 'queue_depth', base)).toBe(7);
    expect(exp.types.queue_depth).toBe('gauge');
    expect(sampleValue(exp, 'room_temperature_celsius', { ...base, room: 'lab' })).toBe(21.5);
    expect(sampleValue(exp, 'cpu_utilization_ratio', base)).toBe(0.75);
    expect(exp.types.http_server_duration_milliseconds).toBe('histogram');
    const hb = { ...base, route: '/a' };
    expect(sampleValue(exp, 'http_server_duration_milliseconds_bucket', { ...hb, le: '10' })).toBe(1);
    expect(sampleValue(exp, 'http_server_duration_milliseconds_bucket', { ...hb, le: '100' })).toBe(2);
    expect(sampleValue(exp, 'http_server_duration_milliseconds_bucket', { ...hb, le: '+Inf' })).toBe(3);
    expect(sampleValue(exp, 'http_server_duration_milliseconds_sum', hb)).toBe(555);
    expect(sampleValue(exp, 'http_server_duration_milliseconds_count', hb)).toBe(3);
    // the resource attribute os.type is not on the allow-list
    expect(exp.samples.filter((s) => s.labels.host_name === host).every((s) => !('os_type' in s.labels))).toBe(true);
    // exactly the series recorded: 2 + 1 + 1 + 1 + 1 counters/gauges, one histogram of 3 buckets + sum + count
    expect(exp.samples.filter((s) => s.labels.host_name === host)).toHaveLength(6 + 5);
    await provider.shutdown();
  });

  test.each(protocols)('%s: delta and cumulative temporality of the same instrument expose the same totals', async (protocol) => {
    const totals: Record<string, number> = {};
    for (const pref of [AggregationTemporalityPreference.DELTA, AggregationTemporalityPreference.CUMULATIVE]) {
      const host = `temporality-${protocol.replace('/', '-')}-${pref}`;
      const { provider, reader, meter } = makeProvider(makeExporter(protocol, core.front.grpc.port, httpUrl, pref), host);
      const c = meter.createCounter('jobs.processed', { unit: '{job}' });
      const h = meter.createHistogram('job.duration', { unit: 's', advice: { explicitBucketBoundaries: [1, 2] } });
      c.add(5, { queue: 'q' });
      h.record(0.5);
      await reader.forceFlush();
      c.add(7, { queue: 'q' });
      h.record(1.5);
      h.record(3);
      await reader.forceFlush();
      const exp = parseExposition(await scrape(ffUrl), { strict: true });
      totals[`${pref}:counter`] = sampleValue(exp, 'jobs_processed_total', { host_name: host, queue: 'q' });
      totals[`${pref}:count`] = sampleValue(exp, 'job_duration_seconds_count', { host_name: host });
      totals[`${pref}:le2`] = sampleValue(exp, 'job_duration_seconds_bucket', { host_name: host, le: '2' });
      totals[`${pref}:sum`] = sampleValue(exp, 'job_duration_seconds_sum', { host_name: host });
      await provider.shutdown();
    }
    const d = AggregationTemporalityPreference.DELTA;
    const cu = AggregationTemporalityPreference.CUMULATIVE;
    expect(totals[`${d}:counter`]).toBe(12);
    expect(totals[`${cu}:counter`]).toBe(12);
    expect(totals[`${d}:count`]).toBe(3);
    expect(totals[`${cu}:count`]).toBe(3);
    expect(totals[`${d}:le2`]).toBe(2);
    expect(totals[`${cu}:le2`]).toBe(2);
    expect(totals[`${d}:sum`]).toBe(5);
    expect(totals[`${cu}:sum`]).toBe(5);
  });

  test.each(protocols)('%s with gzip compression: the same exact values arrive', async (protocol) => {
    const host = `gzip-${protocol.replace('/', '-')}`;
    const gzip = 'gzip' as never;
    const exporter =
      protocol === 'grpc'
        ? new GrpcExporter({ url: `http://127.0.0.1:${core.front.grpc.port}`, compression: gzip })
        : protocol === 'http/json'
          ? new HttpJsonExporter({ url: httpUrl, compression: gzip })
          : new HttpProtoExporter({ url: httpUrl, compression: gzip });
    const { provider, reader, meter } = makeProvider(exporter, host);
    const c = meter.createCounter('bytes.sent', { unit: 'By' });
    for (let i = 0; i < 200; i++) c.add(i, { peer: `peer-${i}` });
    await reader.forceFlush();
    const exp = parseExposition(await scrape(ffUrl), { strict: true });
    const got = findSamples(exp, 'bytes_sent_total', { host_name: host });
    expect(got).toHaveLength(200);
    expect(got.reduce((a, s) => a + s.value, 0)).toBe((199 * 200) / 2);
    expect(sampleValue(exp, 'bytes_sent_total', { host_name: host, peer: 'peer-17' })).toBe(17);
    await provider.shutdown();
  });

  test('the observatory counts accepted data points per protocol', async () => {
    const exp = parseExposition(await scrape(ffUrl.replace(/:\d+\//, `:${core.front.observatory.port}/`)), { strict: true });
    expect(sampleValue(exp, 'phoenix_receiver_data_points_total', { protocol: 'grpc', outcome: 'accepted' })).toBeGreaterThan(0);
    expect(sampleValue(exp, 'phoenix_receiver_data_points_total', { protocol: 'http', outcome: 'accepted' })).toBeGreaterThan(0);
    expect(sampleValue(exp, 'phoenix_receiver_requests_total', { protocol: 'http', encoding: 'json', outcome: 'success' })).toBeGreaterThanOrEqual(3);
    expect(sampleValue(exp, 'phoenix_receiver_requests_total', { protocol: 'http', encoding: 'protobuf', outcome: 'success' })).toBeGreaterThanOrEqual(3);
    expect(sampleValue(exp, 'phoenix_store_series', {})).toBe(await storeSeries());
  });
});
