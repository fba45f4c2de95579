import type { GeneratorsTruth } from '@phoenix/contracts';
import { validateGeneratorsLoadStatus, validateGeneratorsTruth } from '@phoenix/contracts';
import { Registry } from 'prom-client';
import { ManualClock, silentLogger, systemClock, type Clock } from '@phoenix/runtime';
import { defaultExporterConfig, type ExporterConfig, type OtlpProtocol } from '../exporter/exporterConfig';
import { PROCESS_METRICS } from '../metrics/processMetrics';
import { defaultProfilesDir, loadProfilesDir } from '../profiles/loadProfiles';
import { startFakeOtlpReceiver, type FakeOtlpReceiver, type ReceivedPoint } from '../testing/fakeOtlpReceiver';
import { defaultWorkloadConfig } from '../workload/workloadConfig';
import { defaultGeneratorConfig } from './generatorConfig';
import { Generator } from './generator';

function exporterFor(receiver: FakeOtlpReceiver, protocol: OtlpProtocol): ExporterConfig {
  return { ...defaultExporterConfig, protocol, url: protocol === 'grpc' ? receiver.grpcUrl : `${receiver.httpUrl}/v1/metrics`, timeout_ms: 5000 };
}

function newGenerator(exporter: ExporterConfig, clock: Clock = new ManualClock(), registry = new Registry()): Generator {
  return new Generator({
    clock,
    registry,
    log: silentLogger(),
    exporter,
    workload: defaultWorkloadConfig,
    config: defaultGeneratorConfig,
    meterVersion: '0.1.0',
  });
}

/** A started generator. */
async function makeGenerator(exporter: ExporterConfig, clock: Clock = new ManualClock(), registry = new Registry()): Promise<Generator> {
  const g = newGenerator(exporter, clock, registry);
  await g.start();
  return g;
}

/** Received series of the latest export, grouped by host and metric. */
function latestByHostAndMetric(receiver: FakeOtlpReceiver, fromRequest: number): Map<string, ReceivedPoint[]> {
  const out = new Map<string, ReceivedPoint[]>();
  for (const r of receiver.requests.slice(fromRequest)) {
    for (const p of r.points) {
      const k = `${String(p.resource['host.name'])}|${p.metric}`;
      const list = out.get(k) ?? [];
      list.push(p);
      out.set(k, list);
    }
  }
  return out;
}

function expectTruthMatches(truth: GeneratorsTruth, received: Map<string, ReceivedPoint[]>): void {
  let compared = 0;
  for (const host of truth.hosts) {
    for (const m of host.metrics) {
      const pts = received.get(`${host.host_name}|${m.name}`) ?? [];
      expect(pts.length).toBe(m.series);
      expect(pts.reduce((s, p) => s + p.value, 0)).toBe(m.total);
      for (const p of pts) {
        expect(p.resource).toEqual({ 'host.name': host.host_name, 'service.name': host.service_name, 'os.type': 'linux' });
        expect(p.unit).toBe(m.unit);
        expect(p.kind).toBe('sum');
        expect(p.monotonic).toBe(m.type === 'counter');
        expect(p.temporality).toBe(2);
      }
      compared++;
    }
  }
  expect(compared).toBe(truth.hosts.length * PROCESS_METRICS.length);
}

describe('Generator through the real OTLP exporters', () => {
  let receiver: FakeOtlpReceiver;
  beforeEach(async () => {
    receiver = await startFakeOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  // OTLP/HTTP exporters load node:http with a dynamic import(), which jest's VM refuses without
  // --experimental-vm-modules; src/integration/generateCli.test.ts covers them in a real process.
  test.each(['grpc'] as const)('over %s the received series and totals equal the truth exactly', async (protocol) => {
    const g = await makeGenerator(exporterFor(receiver, protocol));
    await g.setLoad({ hosts: 3, processes_per_host: 25, churn_rate: 0.05 });
    for (let i = 0; i < 3; i++) {
      const before = receiver.requests.length;
      const report = await g.tick();
      expect(report).toMatchObject({ ok: 3, failed: 0, hosts: 3, processes: 75, series: 75 * 7 });
      expect(receiver.requests.length - before).toBe(3);
      const truth = g.truth();
      expect(validateGeneratorsTruth(truth)).toMatchObject({ ok: true });
      expect(truth.series).toBe(75 * 7);
      expect(receiver.requests.slice(before).every((r) => r.protocol === protocol)).toBe(true);
      expectTruthMatches(truth, latestByHostAndMetric(receiver, before));
    }
    // The truth's top processes are the highest CPU rates on each host.
    const truth = g.truth();
    for (const h of truth.hosts) {
      expect(h.top_processes.length).toBe(10);
      const rates = h.top_processes.map((p) => p.cpu_rate);
      expect([...rates].sort((a, b) => b - a)).toEqual(rates);
      expect(h.top_processes.map((p) => p.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
    await g.stop();
  });

  test('every received point carries exactly the process attributes, and labels identify series uniquely', async () => {
    const g = await makeGenerator(exporterFor(receiver, 'grpc'));
    await g.setLoad({ hosts: 2, processes_per_host: 40, churn_rate: 0 });
    await g.tick();
    const keys = new Set<string>();
    for (const r of receiver.requests) {
      for (const p of r.points) {
        const extra = p.metric === 'process.cpu.time' ? ['state'] : p.metric === 'process.disk.io' ? ['direction'] : [];
        const allowed = ['process.pid', 'process.executable.name', 'process.command_line', 'process.owner', 'container.id', ...extra];
        expect(Object.keys(p.attributes).every((k) => allowed.includes(k))).toBe(true);
        for (const k of ['process.pid', 'process.executable.name', 'process.command_line', 'process.owner', ...extra]) expect(p.attributes).toHaveProperty([k]);
        keys.add(`${p.metric}|${String(p.resource['host.name'])}|${JSON.stringify(p.attributes)}`);
      }
    }
    expect(keys.size).toBe(2 * 40 * 7);
    await g.stop();
  });

  test('changing the load changes the series sent from the next export interval', async () => {
    const g = await makeGenerator(exporterFor(receiver, 'grpc'));
    await g.setLoad({ hosts: 2, processes_per_host: 10, churn_rate: 0 });
    expect((await g.tick()).series).toBe(140);
    const status = await g.setLoad({ processes_per_host: 30 });
    expect(status.series_per_export).toBe(420);
    expect((await g.tick()).series).toBe(420);
    await g.setLoad({ hosts: 4 });
    const r = await g.tick();
    expect(r).toMatchObject({ hosts: 4, series: 840 });
    expect(g.truth().hosts.map((h) => h.host_name)).toEqual(['sim-host-0001', 'sim-host-0002', 'sim-host-0003', 'sim-host-0004']);
    await g.setLoad({ hosts: 1 });
    await g.tick();
    expect(g.truth().hosts.map((h) => h.host_name)).toEqual(['sim-host-0001']);
    await g.stop();
  });

  test('the same seed and load produce the same exported series and values', async () => {
    const run = async (): Promise<string[]> => {
      const r = await startFakeOtlpReceiver();
      const g = await makeGenerator(exporterFor(r, 'grpc'));
      await g.setLoad({ hosts: 2, processes_per_host: 20, churn_rate: 0.1, seed: 1234 });
      for (let i = 0; i < 4; i++) await g.tick();
      await g.stop();
      await r.close();
      return r.requests.flatMap((q) => q.points.map((p) => `${String(p.resource['host.name'])}|${p.metric}|${JSON.stringify(p.attributes)}|${p.value}`)).sort();
    };
    const a = await run();
    expect(a.length).toBeGreaterThan(0);
    expect(await run()).toEqual(a);
  });

  test('failed exports are counted, and the truth keeps the last successful export', async () => {
    const registry = new Registry();
    const g = await makeGenerator(exporterFor(receiver, 'grpc'), new ManualClock(), registry);
    await g.setLoad({ hosts: 2, processes_per_host: 5, churn_rate: 0 });
    await g.tick();
    const good = g.truth();
    receiver.behaviour.fail = true;
    const r = await g.tick();
    expect(r).toMatchObject({ ok: 0, failed: 2 });
    expect(r.errors.length).toBeGreaterThan(0);
    expect(g.truth().hosts.map((h) => h.export_seq)).toEqual(good.hosts.map((h) => h.export_seq));
    expect(g.status().exports).toMatchObject({ ticks: 2, ok: 2, failed: 2 });
    const text = await registry.metrics();
    expect(text).toMatch(/phoenix_generator_exports_total\{outcome="ok"\} 2/);
    expect(text).toMatch(/phoenix_generator_exports_total\{outcome="failed"\} 2/);
    expect(text).toMatch(/phoenix_generator_data_points_exported_total 70/);
    expect(text).toMatch(/phoenix_generator_export_series 70/);
    await g.stop();
  });

  test('a scenario follows its phases in scenario time and stops after its duration', async () => {
    const spike = loadProfilesDir(defaultProfilesDir()).get('spike');
    if (!spike) throw new Error('spike missing');
    const clock = new ManualClock();
    const g = await makeGenerator(exporterFor(receiver, 'grpc'), clock);
    const seen: { phase: string; series: number }[] = [];
    g.onTick((r) => seen.push({ phase: r.scenario?.phase ?? '', series: r.series }));
    const small = { ...spike, hosts: 2, processes_per_host: 4, export_interval_seconds: 10 };
    const started = await g.startScenario(small, { duration_seconds: 120 });
    expect(validateGeneratorsLoadStatus(started)).toMatchObject({ ok: true });
    expect(started).toMatchObject({ running: true, source: 'scenario', scenario: { name: 'spike', phase: 'baseline', phases: 3 } });
    for (let i = 0; i < 13; i++) await clock.advanceAsync(10_000);
    await g.whenIdle();
    expect(seen.map((s) => s.phase)).toEqual([...Array(3).fill('baseline'), ...Array(6).fill('spike'), ...Array(3).fill('recovery')]);
    expect(seen.map((s) => s.series)).toEqual([...Array(3).fill(56), ...Array(6).fill(280), ...Array(3).fill(56)]);
    const status = g.status();
    expect(status).toMatchObject({ running: false, source: 'idle', scenario: { name: 'spike', elapsed_seconds: 120 } });
    expect(validateGeneratorsLoadStatus(status)).toMatchObject({ ok: true });
  });

  test('loads above max_total_processes are refused', async () => {
    const g = await makeGenerator(exporterFor(receiver, 'grpc'));
    await expect(g.setLoad({ hosts: 10_000, processes_per_host: 100_000 })).rejects.toMatchObject({
      details: [expect.stringMatching(/hosts x processes_per_host: 1000000000 exceeds the limit of 200000 processes/)],
    });
    expect(g.isRunning).toBe(false);
  });

  test('with the system clock, exports happen every interval and stop stops them', async () => {
    const g = await makeGenerator(exporterFor(receiver, 'grpc'), systemClock);
    await g.setLoad({ hosts: 1, processes_per_host: 3, export_interval_seconds: 0.2, churn_rate: 0 });
    await receiver.waitForRequests(3, 5000);
    const stopped = await g.stopLoad();
    expect(stopped.running).toBe(false);
    const n = receiver.requests.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.requests.length).toBe(n);
    expect(g.truth().running).toBe(false);
    expect(g.truth().hosts.length).toBe(1);
  });
});
