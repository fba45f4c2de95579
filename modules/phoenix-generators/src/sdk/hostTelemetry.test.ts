import { DataPointType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { silentLogger } from '@phoenix/runtime';
import { PROCESS_METRICS, SERIES_PER_PROCESS } from '../metrics/processMetrics';
import { createCaptureExporter, type CaptureExporter } from '../testing/captureExporter';
import { HostModel } from '../workload/hostModel';
import { defaultWorkloadConfig } from '../workload/workloadConfig';
import { countDataPoints, HostTelemetry } from './hostTelemetry';

function setup(processes: number, opts: { seed?: number; rotateAfterExited?: number } = {}): { model: HostModel; host: HostTelemetry; exporter: CaptureExporter } {
  const model = new HostModel({ hostIndex: 0, seed: opts.seed ?? 42, initialProcesses: processes, config: defaultWorkloadConfig });
  const exporter = createCaptureExporter();
  const host = new HostTelemetry({
    model,
    exporter,
    serviceName: 'phoenix-generators',
    cardinalityLimit: 1_000_000,
    rotateAfterExited: opts.rotateAfterExited ?? 1000,
    collectTimeoutMs: 30_000,
    meterVersion: '0.1.0',
    log: silentLogger(),
    now: Date.now,
  });
  return { model, host, exporter };
}

type Point = { metric: string; attributes: Record<string, unknown>; value: number; startTime: [number, number] };

function points(rm: ResourceMetrics): Point[] {
  const out: Point[] = [];
  for (const sm of rm.scopeMetrics)
    for (const m of sm.metrics)
      for (const dp of m.dataPoints) out.push({ metric: m.descriptor.name, attributes: dp.attributes, value: dp.value as number, startTime: dp.startTime });
  return out;
}

const key = (p: Point): string => `${p.metric}|${JSON.stringify(Object.entries(p.attributes).sort())}`;

describe('HostTelemetry (OpenTelemetry SDK MeterProvider per host)', () => {
  test('exports one resource per host with the semantic-convention instruments, 7 series per process, values equal to the model', async () => {
    const { model, host, exporter } = setup(30);
    model.step(10, 30, 0);
    const r = await host.exportOnce();
    expect(r).toMatchObject({ ok: true, dataPoints: 30 * SERIES_PER_PROCESS });
    const rm = exporter.exported[0];
    expect(rm.resource.attributes).toEqual({ 'host.name': 'sim-host-0001', 'service.name': 'phoenix-generators', 'os.type': 'linux' });
    const metrics = rm.scopeMetrics[0].metrics;
    expect(rm.scopeMetrics[0].scope.name).toBe('phoenix-generators');
    expect(metrics.map((m) => [m.descriptor.name, m.descriptor.unit, m.dataPointType, (m as { isMonotonic?: boolean }).isMonotonic])).toEqual([
      ['process.cpu.time', 's', DataPointType.SUM, true],
      ['process.memory.usage', 'By', DataPointType.SUM, false],
      ['process.threads', '{thread}', DataPointType.SUM, false],
      ['process.open_file_descriptors', '{count}', DataPointType.SUM, false],
      ['process.disk.io', 'By', DataPointType.SUM, true],
    ]);
    const byKey = new Map(points(rm).map((p) => [key(p), p]));
    for (const p of model.processes()) {
      const base: Record<string, unknown> = {
        'process.pid': p.pid,
        'process.executable.name': p.entry.executable,
        'process.command_line': p.commandLine,
        'process.owner': p.owner,
      };
      if (p.containerId) base['container.id'] = p.containerId;
      for (const def of PROCESS_METRICS) {
        const values = def.attribute ? def.attribute.values.map((v) => ({ ...base, [def.attribute?.key ?? '']: v })) : [base];
        for (const attributes of values) {
          const got = byKey.get(key({ metric: def.name, attributes, value: 0, startTime: [0, 0] }));
          const attrValue = def.attribute ? (attributes[def.attribute.key] as string) : undefined;
          expect(got?.value).toBe(def.value(p, attrValue));
        }
      }
    }
  });

  test('the raised cardinality limit keeps 3,000 processes (6,000 cpu.time series) out of the overflow series', async () => {
    const { model, host, exporter } = setup(3000);
    model.step(10, 3000, 0);
    await host.exportOnce();
    const all = points(exporter.exported[0]);
    expect(all.length).toBe(3000 * SERIES_PER_PROCESS);
    expect(all.filter((p) => 'otel.metric.overflow' in p.attributes)).toEqual([]);
  });

  test('exited processes stop being exported (the SDK alone would repeat their last value forever)', async () => {
    const { model, host, exporter } = setup(50);
    model.step(10, 50, 0);
    await host.exportOnce();
    const before = new Set(model.processes().map((p) => p.pid));
    model.step(10, 50, 0.3);
    await host.exportOnce();
    const live = new Set(model.processes().map((p) => p.pid));
    const exportedPids = new Set(points(exporter.exported[1]).map((p) => p.attributes['process.pid'] as number));
    expect(exportedPids).toEqual(live);
    expect([...before].some((pid) => !live.has(pid))).toBe(true);
    expect(countDataPoints(exporter.exported[1])).toBe(50 * SERIES_PER_PROCESS);
  });

  test('a process reset in place shows up as a counter reset of the same series, with a new start time', async () => {
    const { model, host, exporter } = setup(200, { seed: 5 });
    model.step(10, 200, 0);
    await host.exportOnce();
    const first = new Map(points(exporter.exported[0]).filter((p) => p.metric === 'process.cpu.time').map((p) => [key(p), p]));
    model.step(10, 200, 0.5);
    await host.exportOnce();
    const resets = points(exporter.exported[1]).filter((p) => {
      const prev = first.get(key(p));
      return p.metric === 'process.cpu.time' && prev !== undefined && p.value < prev.value;
    });
    expect(resets.length).toBeGreaterThan(0);
    for (const p of resets) expect(p.startTime).not.toEqual(first.get(key(p))?.startTime);
  });

  test('every point carries its process start time: stable across exports, new after a reset or restart', async () => {
    const { model, host, exporter } = setup(100, { seed: 8 });
    model.step(10, 100, 0);
    await host.exportOnce();
    const first = new Map(points(exporter.exported[0]).map((p) => [key(p), p.startTime]));
    const startOf = new Map(points(exporter.exported[0]).map((p) => [p.attributes['process.pid'] as number, p.startTime]));
    // all points of a process share its start time, which lies before the export
    for (const p of points(exporter.exported[0])) expect(p.startTime).toEqual(startOf.get(p.attributes['process.pid'] as number));
    model.step(10, 100, 0);
    await host.exportOnce();
    for (const p of points(exporter.exported[1])) expect(p.startTime).toEqual(first.get(key(p)));
    const resetsBefore = model.churn.resets;
    for (let i = 2; i < 6; i++) {
      model.step(10, 100, 0.3);
      await host.exportOnce();
    }
    expect(model.churn.resets).toBeGreaterThan(resetsBefore);
    const reset = model.processes().filter((p) => p.incarnation > 0);
    const last = new Map(points(exporter.exported[5]).map((p) => [p.attributes['process.pid'] as number, p.startTime]));
    for (const p of reset) expect(last.get(p.pid)).not.toEqual(startOf.get(p.pid));
  });

  test('under churn the provider is rebuilt to forget exited processes; values and start times continue unchanged', async () => {
    const { model, host, exporter } = setup(40, { rotateAfterExited: 10 });
    const starts = new Map<string, [number, number]>();
    for (let i = 0; i < 8; i++) {
      model.step(10, 40, 0.25);
      await host.exportOnce();
      const exported = points(exporter.exported[i]);
      expect(exported.length).toBe(40 * SERIES_PER_PROCESS);
      const cpu = exported.filter((p) => p.metric === 'process.cpu.time').reduce((s, p) => s + p.value, 0);
      const model_ = model.processes().reduce((s, p) => s + (p.cpuUserQuanta + p.cpuSystemQuanta) / 2 ** 20, 0);
      expect(cpu).toBe(model_);
      const incarnations = new Map(model.processes().map((p) => [p.pid, p.incarnation]));
      for (const p of exported) {
        const k = `${key(p)}#${incarnations.get(p.attributes['process.pid'] as number) ?? 0}`;
        const known = starts.get(k);
        if (known) expect(p.startTime).toEqual(known);
        starts.set(k, p.startTime);
      }
    }
    expect(host.rotations).toBeGreaterThan(0);
  });

  test('a failed export is reported with its error', async () => {
    const { model, host, exporter } = setup(5);
    exporter.fail = true;
    model.step(10, 5, 0);
    expect(await host.exportOnce()).toMatchObject({ ok: false, error: 'capture exporter failing', dataPoints: 35 });
  });
});
