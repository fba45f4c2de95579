/**
 * The exposition passes `promtool check metrics`, and a real Prometheus server (Debian package,
 * free loopback port) scrapes :8888 and :8891 and returns the expected values through its query API.
 */
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { promtoolCheckMetrics, startPrometheus, type PrometheusHandle } from '@phoenix/testkit';
import { parseExposition } from '@phoenix/runtime';
import type { CoreService } from '../src/service/coreService';
import { scrape, startCore } from './startCore';

const HOSTS = 3;
const PROCS = 20;

describe('real Prometheus and promtool against phoenix-core', () => {
  let core: CoreService;
  let url: (w: 'fullFidelity' | 'observatory') => string;
  let prom: PrometheusHandle | undefined;
  let cpuTotal = 0;

  beforeAll(async () => {
    const s = await startCore();
    core = s.core;
    url = s.url;
    // a realistic workload: per host, processes with CPU time by state, memory, threads, and a latency histogram
    for (let h = 0; h < HOSTS; h++) {
      const reader = new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `http://127.0.0.1:${core.front.grpc.port}` }),
        exportIntervalMillis: 3_600_000,
      });
      const provider = new MeterProvider({
        resource: resourceFromAttributes({ 'host.name': `node-${h}.example.internal`, 'service.name': 'hostmetrics' }),
        readers: [reader],
      });
      const meter = provider.getMeter('hostmetrics');
      const cpu = meter.createCounter('process.cpu.time', { unit: 's', description: 'Total CPU seconds broken down by state.' });
      const mem = meter.createUpDownCounter('process.memory.usage', { unit: 'By', description: 'Resident memory.' });
      const threads = meter.createUpDownCounter('process.threads', { unit: '{thread}' });
      const lat = meter.createHistogram('process.scheduler.latency', { unit: 's', advice: { explicitBucketBoundaries: [0.001, 0.005, 0.025, 0.1] } });
      for (let p = 0; p < PROCS; p++) {
        const attrs = { 'process.pid': 1000 + p, 'process.executable.name': `worker-${p % 5}`, 'process.command_line': `/usr/bin/worker-${p % 5} --id "${p}"` };
        const user = (p + 1) * 0.5;
        cpu.add(user, { ...attrs, state: 'user' });
        cpu.add(0.25, { ...attrs, state: 'system' });
        cpuTotal += user + 0.25;
        mem.add(1_048_576 * (p + 1), attrs);
        threads.add(p % 7 + 1, attrs);
        lat.record(p * 0.003, attrs);
      }
      await reader.forceFlush();
      await provider.shutdown();
    }
  });

  afterAll(async () => {
    await prom?.stop();
    await core.stop();
  });

  test('promtool check metrics passes on a realistic full-fidelity scrape and on the observatory', async () => {
    const text = await scrape(url('fullFidelity'));
    expect(parseExposition(text, { strict: true }).samples.length).toBe(HOSTS * PROCS * (2 + 1 + 1 + 7));
    const ff = await promtoolCheckMetrics(text);
    expect({ code: ff.code, output: ff.output }).toEqual({ code: 0, output: '' });
    const obs = await promtoolCheckMetrics(await scrape(url('observatory')));
    expect(obs.code).toBe(0);
  });

  test('a real Prometheus scrapes :8888 and :8891 and returns the expected values', async () => {
    const hostPort = (u: string) => new URL(u).host;
    prom = await startPrometheus({
      scrapeIntervalSeconds: 1,
      scrapeConfigs: [
        { job: 'phoenix_full_fidelity', targets: [hostPort(url('fullFidelity'))] },
        { job: 'phoenix_observatory', targets: [hostPort(url('observatory'))] },
      ],
    });
    const p = prom;
    await p.waitForValue('count(up == 1)', (v) => v === 2, 30_000);
    const series = await p.waitForValue('count({job="phoenix_full_fidelity", __name__!~"up|scrape_.*"})', (v) => v === HOSTS * PROCS * 11, 20_000);
    expect(series).toBe(HOSTS * PROCS * 11);
    const cpu = await p.queryValue('sum(process_cpu_time_seconds_total)');
    expect(cpu).toBeCloseTo(cpuTotal, 9);
    expect(await p.queryValue('count(count by (host_name) (process_memory_usage_bytes))')).toBe(HOSTS);
    expect(await p.queryValue('sum(process_memory_usage_bytes{host_name="node-1.example.internal"})')).toBe(1_048_576 * ((PROCS * (PROCS + 1)) / 2));
    expect(await p.queryValue('sum(process_scheduler_latency_seconds_count)')).toBe(HOSTS * PROCS);
    expect(await p.queryValue('sum(process_scheduler_latency_seconds_bucket{le="0.005"})')).toBe(HOSTS * 2); // p × 0.003 ≤ 0.005 for p = 0, 1
    await p.waitForValue('phoenix_store_series', (v) => v === HOSTS * PROCS * 5, 20_000);
    // each host exported twice: forceFlush, then again on provider.shutdown()
    expect(await p.queryValue('sum(phoenix_receiver_data_points_total{protocol="grpc",outcome="accepted"})')).toBe(2 * HOSTS * PROCS * 5);
    expect(await p.queryValue('phoenix_pipeline_series{pipeline="full_fidelity"}')).toBe(HOSTS * PROCS * 11);
    expect(await p.queryValue('process_resident_memory_bytes{job="phoenix_observatory"} > 0')).toBeGreaterThan(0);
  });
});
