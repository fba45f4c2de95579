import { Registry } from 'prom-client';
import { ManualClock, silentLogger } from '@phoenix/runtime';
import type { ExporterConfig } from '../exporter/exporterConfig';
import { Generator } from '../generator/generator';
import { defaultGeneratorConfig } from '../generator/generatorConfig';
import { SERIES_PER_PROCESS } from '../metrics/processMetrics';
import { defaultWorkloadConfig } from '../workload/workloadConfig';

/** One load step of the SDK-path capacity measurement. */
export interface SdkCapacityStep {
  hosts: number;
  processes_per_host: number;
  series_per_export: number;
  /** Wall time of each measured export interval (model step + collect + export of every host, answers included). */
  tick_seconds: number[];
  /** CPU seconds this process used per measured interval (user + system). */
  cpu_seconds: number[];
  failed_exports: number;
  /** Every measured interval finished within the export interval with no failed export. */
  sustained: boolean;
}

/**
 * Measures how long the SDK path needs per export interval at growing loads: for each processes-per-host
 * value it runs `warmup + measured` intervals back to back (one Generator, manual clock, real exporter)
 * and reports wall and CPU time per interval. A load is sustained when every measured interval took
 * less than `intervalSeconds` and no export failed.
 */
export async function measureSdkCapacity(opts: {
  exporter: ExporterConfig;
  hosts: number;
  processesPerHost: number[];
  intervalSeconds: number;
  warmup?: number;
  measured?: number;
  onStep?: (s: SdkCapacityStep) => void;
}): Promise<SdkCapacityStep[]> {
  const steps: SdkCapacityStep[] = [];
  for (const processes of opts.processesPerHost) {
    const generator = new Generator({
      clock: new ManualClock(Date.now()),
      registry: new Registry(),
      log: silentLogger(),
      exporter: opts.exporter,
      workload: defaultWorkloadConfig,
      config: { ...defaultGeneratorConfig, max_total_processes: 10_000_000 },
      meterVersion: 'bench',
    });
    await generator.start();
    await generator.setLoad({ hosts: opts.hosts, processes_per_host: processes, churn_rate: 0.01, export_interval_seconds: opts.intervalSeconds });
    const step: SdkCapacityStep = {
      hosts: opts.hosts,
      processes_per_host: processes,
      series_per_export: opts.hosts * processes * SERIES_PER_PROCESS,
      tick_seconds: [],
      cpu_seconds: [],
      failed_exports: 0,
      sustained: false,
    };
    for (let i = 0; i < (opts.warmup ?? 1) + (opts.measured ?? 3); i++) {
      const cpu = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const r = await generator.tick();
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const used = process.cpuUsage(cpu);
      if (i < (opts.warmup ?? 1)) continue;
      step.tick_seconds.push(Math.round(wall * 1000) / 1000);
      step.cpu_seconds.push(Math.round((used.user + used.system) / 1000) / 1000);
      step.failed_exports += r.failed;
    }
    await generator.stop();
    step.sustained = step.failed_exports === 0 && step.tick_seconds.every((t) => t < opts.intervalSeconds);
    steps.push(step);
    opts.onStep?.(step);
    if (!step.sustained) break;
  }
  return steps;
}
