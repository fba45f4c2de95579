import { ManualClock, memoryLogger, UnavailableError } from '@phoenix/runtime';
import { Registry } from 'prom-client';
import { defaultExporterConfig } from '../exporter/exporterConfig';
import { createCaptureExporter, type CaptureExporter } from '../testing/captureExporter';
import { defaultWorkloadConfig } from '../workload/workloadConfig';
import { Generator } from './generator';
import { defaultGeneratorConfig } from './generatorConfig';

function setup(): { g: Generator; clock: ManualClock; exporters: CaptureExporter[]; registry: Registry; log: ReturnType<typeof memoryLogger> } {
  const clock = new ManualClock();
  const exporters: CaptureExporter[] = [];
  const registry = new Registry();
  const log = memoryLogger({ clock });
  const g = new Generator({
    clock,
    registry,
    log,
    exporter: defaultExporterConfig,
    workload: defaultWorkloadConfig,
    config: defaultGeneratorConfig,
    meterVersion: 'test',
    createExporter: () => {
      const e = createCaptureExporter();
      exporters.push(e);
      return e;
    },
  });
  return { g, clock, exporters, registry, log };
}

const running = async (registry: Registry): Promise<number | undefined> => (await registry.getSingleMetric('phoenix_generator_running')?.get())?.values[0]?.value;

describe('Generator lifecycle (start / stop, idempotent)', () => {
  test('start -> load -> stop: the load ends, the exporter is shut down once, later loads and restarts are refused', async () => {
    const { g, clock, exporters, registry, log } = setup();
    await g.start();
    await g.setLoad({ hosts: 2, processes_per_host: 3, churn_rate: 0, export_interval_seconds: 1 });
    await clock.advanceAsync(2500);
    expect(g.status().exports).toEqual({ ticks: 3, ok: 6, failed: 0, last_export_at: '2026-01-01T00:00:02.000Z', last_tick_seconds: 0 });
    expect(exporters).toHaveLength(1);
    expect(exporters[0].exported).toHaveLength(6);
    expect(await running(registry)).toBe(1);
    expect(log.records.filter((r) => r.msg === 'load set')).toEqual([
      { ts: '2026-01-01T00:00:00.000Z', level: 'info', msg: 'load set', load: { hosts: 2, processes_per_host: 3, churn_rate: 0, export_interval_seconds: 1, seed: 42 } },
    ]);

    await g.stop('test over');
    expect(g.isRunning).toBe(false);
    expect(exporters[0].shutdowns).toBe(1);
    expect(await running(registry)).toBe(0);
    expect(clock.pending()).toBe(0);
    // what was generated stays readable
    expect(g.status()).toMatchObject({ running: false, source: 'idle', exports: { ticks: 3, ok: 6 } });
    expect(g.truth().hosts.map((h) => h.export_seq)).toEqual([3, 3]);
    const refused = g.setLoad({ hosts: 1 });
    await expect(refused).rejects.toThrow(UnavailableError);
    await expect(refused).rejects.toThrow('the generator is stopped');
    await expect(g.tick()).rejects.toThrow('the generator is stopped');
    await expect(g.start()).rejects.toThrow('generator is stopped; it cannot be started again');
  });

  test('stop without start resolves and creates nothing; loads before start are refused', async () => {
    const { g, exporters } = setup();
    await expect(g.setLoad({ hosts: 1 })).rejects.toThrow('the generator is not started');
    await expect(g.tick()).rejects.toThrow('the generator is not started');
    await g.stop();
    expect(exporters).toHaveLength(0);
    expect(g.status()).toMatchObject({ running: false, source: 'idle', exports: { ticks: 0 } });
  });

  test('stop twice is one stop; start twice is one start', async () => {
    const { g, clock, exporters } = setup();
    const a = g.start();
    expect(g.start()).toBe(a);
    await a;
    await g.setLoad({ hosts: 1, processes_per_host: 2 });
    await clock.advanceAsync(0);
    const first = g.stop();
    const second = g.stop();
    expect(second).toBe(first);
    await Promise.all([first, second]);
    await g.stop();
    expect(exporters.map((e) => e.shutdowns)).toEqual([1]);
  });

  test('stopLoad only stops generating: the generator stays usable', async () => {
    const { g, clock, exporters } = setup();
    await g.start();
    await g.setLoad({ hosts: 1, processes_per_host: 2 });
    await clock.advanceAsync(0);
    expect((await g.stopLoad()).running).toBe(false);
    expect(exporters[0].shutdowns).toBe(1);
    expect((await g.setLoad({ hosts: 2 })).running).toBe(true);
    await clock.advanceAsync(0);
    expect(g.status().exports.ok).toBe(3);
    await g.stop();
    expect(exporters.map((e) => e.shutdowns)).toEqual([1, 1]);
  });
});
