/**
 * End to end: phoenix-core and phoenix-control as real processes, load from the OpenTelemetry SDK
 * (MeterProvider + OTLP/gRPC exporter) into the core. Raising the load past the budget makes the actuator
 * rewrite the control file, the core switch its active output, and :8892 fall under the budget; an override
 * through the API pins a mode, shows in /api/v1/status and expires by itself.
 *
 * The two processes are started by phoenix-validation's local stack (the one launcher of a local stack) at
 * time scale 0.1: control and observer every 0.5 s, the PID gains scaled to that interval; the dwell is
 * shortened to 2 s and the core ranks top-k every 0.5 s for this test.
 *
 * Needs the built core, control and validation modules (`npx tsc -b` at the root builds them).
 */
import fs from 'node:fs';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { findSamples, parseExposition, type Exposition } from '@phoenix/runtime';
import { waitFor } from '@phoenix/testkit';
import { startLocalStack, type LocalStack } from '@phoenix/validation';
import { type ControlStatus, type OptimizationMode, validateControlStatus } from '@phoenix/contracts';
import { readControlFile } from './helpers';

const TOKEN = 'e2e-token-0123456789abcdef';
const BUDGET = 400;
const HOSTS = 4;
const LOW_PROCESSES = 20; // 4 hosts x 20 processes x 2 metrics = 160 series: under the budget
const HIGH_PROCESSES = 150; // 1200 series: 3x the budget, and every process is critical (kept by every optimized profile)

jest.setTimeout(180_000);

/** OpenTelemetry SDK load: one MeterProvider (resource host.name) per host, process metrics as point attributes. */
class SdkLoad {
  processes = LOW_PROCESSES;
  private readonly providers: MeterProvider[] = [];
  private tick = 0;

  constructor(grpcPort: number) {
    for (let h = 0; h < HOSTS; h++) {
      const host = `e2e-host-${h}`;
      const provider = new MeterProvider({
        resource: resourceFromAttributes({ 'service.name': 'phoenix-e2e', 'host.name': host }),
        readers: [
          new PeriodicExportingMetricReader({
            exporter: new OTLPMetricExporter({ url: `http://127.0.0.1:${grpcPort}` }),
            exportIntervalMillis: 500,
            exportTimeoutMillis: 400,
          }),
        ],
      });
      const meter = provider.getMeter('phoenix-e2e');
      const attrs = (i: number): Record<string, string | number> => ({
        'process.pid': 10_000 + i,
        'process.executable.name': 'postgres',
        'process.executable.path': `/opt/db-${i}/bin/postgres`,
        'process.command_line': `/opt/db-${i}/bin/postgres -D /data/${i}`,
      });
      const cpu = meter.createObservableCounter('process.cpu.time', { unit: 's', description: 'CPU seconds' });
      cpu.addCallback((r) => {
        this.tick += 1;
        for (let i = 0; i < this.processes; i++) r.observe((i + 1) * this.tick, attrs(i));
      });
      const mem = meter.createObservableGauge('process.memory.usage', { unit: 'By', description: 'Resident memory' });
      mem.addCallback((r) => {
        for (let i = 0; i < this.processes; i++) r.observe(1_000_000 + i * 1000, attrs(i));
      });
      this.providers.push(provider);
    }
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.providers.map((p) => p.shutdown().catch(() => undefined)));
  }
}

async function text(url: string): Promise<string> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

/** Series (sample lines) an endpoint exposes. */
async function seriesAt(url: string): Promise<number> {
  return parseExposition(await text(url), { strict: true }).samples.length;
}

describe('phoenix-core + phoenix-control end to end', () => {
  let stack: LocalStack | undefined;
  let load: SdkLoad | undefined;
  let controlFile = '';
  const seenFiles: OptimizationMode[] = [];
  let ports = {} as LocalStack['ports'];

  /** Every control file the test sees is validated against the schema. */
  const observeFile = (): OptimizationMode | undefined => {
    if (!fs.existsSync(controlFile)) return undefined;
    const doc = readControlFile(controlFile);
    if (seenFiles.length === 0 || seenFiles[seenFiles.length - 1].generation !== doc.generation) seenFiles.push(doc);
    return doc;
  };
  const status = async (): Promise<ControlStatus> => {
    const body = (await (await fetch(`http://127.0.0.1:${ports.controlApi}/api/v1/status`)).json()) as unknown;
    const v = validateControlStatus(body);
    if (!v.ok) throw new Error(`status does not match the contract: ${v.errors.join('; ')}`);
    return v.value;
  };
  const observatory = async (): Promise<Exposition> => parseExposition(await text(`http://127.0.0.1:${ports.observatory}/metrics`), { strict: true });

  beforeAll(async () => {
    stack = await startLocalStack({
      timeScale: 0.1,
      budget: BUDGET,
      token: TOKEN,
      services: ['phoenix-core', 'phoenix-control'],
      env: { 'phoenix-core': { PHOENIX_TOPK_RANK_INTERVAL_SECONDS: '0.5' }, 'phoenix-control': { PHOENIX_CONTROL_DWELL_SECONDS: '2' } },
    });
    ports = stack.ports;
    controlFile = stack.controlFile;
    load = new SdkLoad(ports.grpc);
  });

  afterAll(async () => {
    await load?.shutdown();
    if (!stack) return;
    const codes = await stack.stop();
    fs.rmSync(stack.dataDir, { recursive: true, force: true });
    if (codes['phoenix-control'] !== 0 || codes['phoenix-core'] !== 0) throw new Error(`exit codes ${JSON.stringify(codes)}:\n${stack.output()}`);
  });

  const diagnostics = async (): Promise<string> => {
    const grab = async (port: number): Promise<string> => (await text(`http://127.0.0.1:${port}/metrics`).catch((e: Error) => e.message)).slice(0, 6000);
    return (
      `\n${stack?.output()}` +
      `\n--- :8892 (active) ---\n${await grab(ports.active)}\n--- observatory ---\n${(await grab(ports.observatory))
        .split('\n')
        .filter((l) => l.startsWith('phoenix_pipeline') || l.startsWith('phoenix_topk') || l.startsWith('phoenix_control') || l.startsWith('phoenix_optimized'))
        .join('\n')}`
    );
  };

  it('the core exposes the pipelines on its observatory and the observer reads them', async () => {
    await waitFor(
      async () => {
        const exp = await observatory();
        return findSamples(exp, 'phoenix_pipeline_series', { pipeline: 'full_fidelity' }).some((s) => s.value >= HOSTS * LOW_PROCESSES * 2);
      },
      { timeoutMs: 30_000, what: 'the core to count the low load in phoenix_pipeline_series' },
    );
    const st = await waitFor(async () => {
      const s = await status();
      return s.kpis_fresh && (s.kpis?.series.full_fidelity ?? 0) >= HOSTS * LOW_PROCESSES * 2 ? s : undefined;
    }, { timeoutMs: 20_000, what: 'fresh KPIs in /api/v1/status' }).catch(async (e: Error) => {
      throw new Error(e.message + (await diagnostics()));
    });
    expect(st.mode).toBe('conservative'); // under the budget: nothing needs to be lost
    const obs = parseExposition(await text(`http://127.0.0.1:${ports.observer}/metrics`), { strict: true });
    expect(findSamples(obs, 'phoenix_observer_pipeline_series', { pipeline: 'full_fidelity' })[0].value).toBeGreaterThanOrEqual(HOSTS * LOW_PROCESSES * 2);
    expect(observeFile()).toMatchObject({ mode: 'conservative', target_series: BUDGET });
  });

  it('raising the load past the budget: control file rewritten, the core switches, :8892 falls under the budget', async () => {
    load!.processes = HIGH_PROCESSES;
    await waitFor(
      async () => {
        observeFile();
        const full = findSamples(await observatory(), 'phoenix_pipeline_series', { pipeline: 'full_fidelity' })[0]?.value ?? 0;
        return full > BUDGET * 2;
      },
      { timeoutMs: 30_000, what: 'the core to see the high load' },
    );
    const settled = await waitFor(
      async () => {
        const doc = observeFile();
        if (!doc || doc.mode === 'conservative') return undefined;
        const exp = await observatory();
        const gen = findSamples(exp, 'phoenix_control_generation')[0]?.value;
        if (gen !== doc.generation) return undefined; // the core has not applied it yet
        const active = await seriesAt(`http://127.0.0.1:${ports.active}/metrics`);
        return active <= BUDGET ? { doc, active } : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: ':8892 to fall under the budget' },
    ).catch(async (e: Error) => {
      throw new Error(e.message + (await diagnostics()));
    });
     
    console.log(`[e2e] high load: mode ${settled.doc.mode} profile ${settled.doc.profile} k ${settled.doc.topk.k}, :8892 exposes ${settled.active} series (budget ${BUDGET}); reason: ${settled.doc.reason}`);
    expect(settled.doc.source).toBe('actuator');
    expect(settled.doc.reason).toMatch(/budget/);
    const full = await seriesAt(`http://127.0.0.1:${ports.full}/metrics`);
    expect(full).toBeGreaterThan(BUDGET);
    const st = await status();
    expect(st.mode).toBe(settled.doc.mode);
    expect(st.transitions_total).toBeGreaterThanOrEqual(1);
    const history = (await (await fetch(`http://127.0.0.1:${ports.controlApi}/api/v1/history`)).json()) as { entries: { kind: string; to_mode: string }[] };
    expect(history.entries.some((e) => e.kind === 'transition' && e.to_mode === settled.doc.mode)).toBe(true);
  });

  it('an override pins a mode, shows in /api/v1/status, and expires by itself', async () => {
    const unauth = await fetch(`http://127.0.0.1:${ports.controlApi}/api/v1/control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'conservative', reason: 'e2e', ttl_seconds: 4 }),
    });
    expect(unauth.status).toBe(401);
    const res = await fetch(`http://127.0.0.1:${ports.controlApi}/api/v1/control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ mode: 'conservative', reason: 'e2e: look at everything for a moment', ttl_seconds: 4 }),
    });
    expect(res.status).toBe(200);
    const pinned = await status();
    expect(pinned).toMatchObject({ mode: 'conservative', source: 'override', override: { mode: 'conservative' } });
    expect(observeFile()).toMatchObject({ mode: 'conservative', source: 'override' });
    // The core follows the pin: the active output is full fidelity again (over the budget, as asked).
    await waitFor(
      async () => findSamples(await observatory(), 'phoenix_control_mode_info', { mode: 'conservative' }).some((s) => s.value === 1),
      { timeoutMs: 10_000, what: 'the core to apply the override' },
    );
    // Expires by itself: the actuator takes over and the active output is under the budget again.
    const after = await waitFor(
      async () => {
        observeFile();
        const s = await status();
        if (s.source !== 'actuator' || s.mode === 'conservative') return undefined;
        const active = await seriesAt(`http://127.0.0.1:${ports.active}/metrics`);
        return active <= BUDGET ? s : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'the override to expire and the actuator to restore the budget' },
    ).catch(async (e: Error) => {
      throw new Error(e.message + (await diagnostics()));
    });
    expect(after.override).toBeUndefined();
    const history = (await (await fetch(`http://127.0.0.1:${ports.controlApi}/api/v1/history`)).json()) as { entries: { kind: string }[] };
    expect(history.entries.map((e) => e.kind)).toEqual(expect.arrayContaining(['override_set', 'override_expired']));
  });

  it('every control file seen was valid, with consecutive generations', () => {
    expect(seenFiles.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < seenFiles.length; i++) expect(seenFiles[i].generation).toBeGreaterThan(seenFiles[i - 1].generation);
  });
});
