import { validateGeneratorsTruth, type GeneratorsLoadStatus, type GeneratorsTruth } from '@phoenix/contracts';
import { waitFor } from '@phoenix/testkit';
import { Registry } from 'prom-client';
import { listenHttp, silentLogger, systemClock, type HttpListener, type Sample } from '@phoenix/runtime';
import { createApiApp } from '../api/createApiApp';
import { defaultGeneratorsApiConfig } from '../api/generatorsApiConfig';
import { defaultExporterConfig } from '../exporter/exporterConfig';
import { Generator } from '../generator/generator';
import { defaultGeneratorConfig } from '../generator/generatorConfig';
import { PROCESS_METRICS } from '../metrics/processMetrics';
import { defaultProfilesDir, loadProfilesDir } from '../profiles/loadProfiles';
import { defaultWorkloadConfig } from '../workload/workloadConfig';
import { api, scrape, startCore, type RunningCore } from './harness';

/**
 * The generator (its REST API in-process, exporting over OTLP/gRPC through the OpenTelemetry SDK)
 * against the real phoenix-core (a child process). Needs `npx tsc -b` at the repository root first.
 */

const PROM_NAMES = new Set(PROCESS_METRICS.map((m) => m.prometheusName));

interface Harness {
  core: RunningCore;
  generator: Generator;
  server: HttpListener;
  base: string;
  close(): Promise<void>;
}

async function start(): Promise<Harness> {
  const core = await startCore();
  const registry = new Registry();
  const generator = new Generator({
    clock: systemClock,
    registry,
    log: silentLogger(),
    exporter: { ...defaultExporterConfig, url: core.grpcUrl },
    workload: defaultWorkloadConfig,
    config: defaultGeneratorConfig,
    meterVersion: '0.1.0',
  });
  await generator.start();
  const app = createApiApp({
    generator,
    profiles: loadProfilesDir(defaultProfilesDir()),
    registry,
    config: { ...defaultGeneratorsApiConfig, port: 0, rateLimitPerMinute: 1000 },
    log: silentLogger(),
  });
  const server = await listenHttp(app, { port: 0, bindAddress: '127.0.0.1' });
  return {
    core,
    generator,
    server,
    base: `http://127.0.0.1:${server.port}`,
    async close() {
      await server.stop();
      await generator.stop();
      await core.stop();
    },
  };
}

async function processSamples(core: RunningCore): Promise<Sample[]> {
  return (await scrape(core.fullFidelityUrl)).samples.filter((s) => PROM_NAMES.has(s.name));
}

async function waitForExports(base: string, ok: number, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    async () => ((await api(base, 'GET', '/api/v1/load')).body as GeneratorsLoadStatus).exports.ok >= ok,
    { timeoutMs, intervalMs: 50, what: `${ok} successful exports` },
  );
}

const labelKey = (labels: Record<string, string>): string => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));

describe('phoenix-generators against a real phoenix-core', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await start();
  });
  afterEach(async () => {
    await h.close();
  });

  test('the series on :8888 match the model exactly (count per host and metric, labels), and /api/v1/truth totals equal the sums on :8888', async () => {
    expect((await api(h.base, 'PUT', '/api/v1/load', { hosts: 3, processes_per_host: 20, churn_rate: 0, export_interval_seconds: 1, seed: 7 })).status).toBe(200);
    await waitForExports(h.base, 3 * 3);
    expect((await api(h.base, 'POST', '/api/v1/load/stop')).status).toBe(200);
    const truth = (await api(h.base, 'GET', '/api/v1/truth?processes=true')).body as GeneratorsTruth;
    expect(validateGeneratorsTruth(truth)).toMatchObject({ ok: true });
    expect(truth.hosts.map((x) => x.host_name)).toEqual(['sim-host-0001', 'sim-host-0002', 'sim-host-0003']);
    const samples = await processSamples(h.core);
    expect(samples.length).toBe(truth.series);
    expect(truth.series).toBe(3 * 20 * 7);
    for (const host of truth.hosts) {
      const processes = host.process_list ?? [];
      expect(processes.length).toBe(20);
      for (const m of host.metrics) {
        const def = PROCESS_METRICS.find((d) => d.name === m.name);
        if (!def) throw new Error(`unknown metric ${m.name}`);
        const got = samples.filter((s) => s.name === m.prometheus_name && s.labels.host_name === host.host_name);
        // count per host and metric
        expect(got.length).toBe(m.series);
        // totals: exact (CPU times are multiples of 2^-20 s, the rest integers)
        expect(got.reduce((s, x) => s + x.value, 0)).toBe(m.total);
        if (m.breakdown) {
          for (const [v, total] of Object.entries(m.breakdown.totals)) {
            expect(got.filter((x) => x.labels[m.breakdown?.attribute ?? ''] === v).reduce((s, x) => s + x.value, 0)).toBe(total);
          }
        }
        // labels: exactly the model's processes, resource labels flattened, dots to underscores
        const expected = processes.flatMap((p) => {
          const base: Record<string, string> = {
            host_name: host.host_name,
            service_name: host.service_name,
            process_pid: String(p.pid),
            process_executable_name: p.executable_name,
            process_command_line: p.command_line,
            process_owner: p.owner,
          };
          if (p.container_id !== undefined) base.container_id = p.container_id;
          return def.attribute ? def.attribute.values.map((v) => ({ ...base, [def.attribute?.key ?? '']: v })) : [base];
        });
        expect(got.map((s) => labelKey(s.labels)).sort()).toEqual(expected.map(labelKey).sort());
      }
    }
  });

  test('PUT /api/v1/load changes the series count on the core at the next exports', async () => {
    const interval = 2;
    const count = async (): Promise<number> => (await processSamples(h.core)).length;
    await api(h.base, 'PUT', '/api/v1/load', { hosts: 2, processes_per_host: 10, churn_rate: 0, export_interval_seconds: interval });
    await waitFor(async () => (await count()) === 2 * 10 * 7, { timeoutMs: 15_000, what: 'the initial 140 series on :8888' });
    for (const [change, expected] of [
      [{ processes_per_host: 30 }, 2 * 30 * 7],
      [{ hosts: 4 }, 4 * 30 * 7],
    ] as const) {
      const put = await api(h.base, 'PUT', '/api/v1/load', change);
      expect((put.body as GeneratorsLoadStatus).series_per_export).toBe(expected);
      await waitFor(async () => (await count()) === expected, { timeoutMs: 15_000, intervalMs: 50, what: `${expected} series on :8888` });
    }
  });

  test('churn creates new series and counter resets on the core', async () => {
    await api(h.base, 'PUT', '/api/v1/load', { hosts: 1, processes_per_host: 60, churn_rate: 0.3, export_interval_seconds: 1, seed: 3 });
    const seen = new Map<string, number>();
    let resets = 0;
    let lastSeq = 0;
    for (let i = 0; i < 5; i++) {
      await waitFor(async () => {
        const t = (await api(h.base, 'GET', '/api/v1/truth')).body as GeneratorsTruth;
        const seq = t.hosts[0]?.export_seq ?? 0;
        return seq > lastSeq ? (lastSeq = seq) : false;
      }, { timeoutMs: 10_000, what: 'the next export' });
      await new Promise((r) => setTimeout(r, 200));
      for (const s of (await processSamples(h.core)).filter((x) => x.name === 'process_cpu_time_seconds_total')) {
        const k = labelKey(s.labels);
        const prev = seen.get(k);
        if (prev !== undefined && s.value < prev) resets++;
        seen.set(k, s.value);
      }
    }
    await api(h.base, 'POST', '/api/v1/load/stop');
    const truth = (await api(h.base, 'GET', '/api/v1/truth')).body as GeneratorsTruth;
    const churn = truth.hosts[0].churn;
    expect(churn.restarts + churn.spawns).toBeGreaterThan(20);
    expect(churn.resets).toBeGreaterThan(0);
    // every new PID became a new series on the core (exited ones stay until the staleness interval)
    expect(seen.size).toBeGreaterThan(60 * 2 + 2 * 20);
    expect(resets).toBeGreaterThan(0);
  });
});
