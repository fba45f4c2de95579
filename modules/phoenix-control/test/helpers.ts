import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import type { KpiReading } from '../src/actuator/actuator';
import { type Clock, systemClock, silentLogger, startLifecycle, type Logger, freePorts } from '@phoenix/runtime';
import { loadConfig, type ControlServiceConfig } from '../src/config';
import { validateOptimizationMode, type ControlKpis, type OptimizationMode } from '@phoenix/contracts';
import type { KpiSource } from '../src/observer/observer';
import { ControlService } from '../src/service';

/** A KPI source the test sets directly (the observer is tested on its own). */
export class FakeKpis implements KpiSource {
  reading: KpiReading | undefined;
  constructor(private readonly clock: Clock = systemClock) {}
  set(series: { full: number; streams?: number; generation?: number; k?: number }): void {
    const f = series.full;
    const by = { conservative: f * 0.8, balanced: f * 0.55, aggressive: f * 0.35 };
    const kpis: ControlKpis = {
      observed_at: new Date(this.clock.now()).toISOString(),
      age_seconds: 0,
      source: 'core',
      series: { full_fidelity: f, optimized: by.balanced },
      optimized_series_by_profile: by,
      topk_streams: series.streams ?? 60,
    };
    // The top-k output is only reported with the k it was measured at (as the core does with phoenix_control_topk_k).
    if (series.k !== undefined) {
      kpis.series.experimental_topk = Math.min(f, (series.streams ?? 60) * (series.k + 2));
      kpis.in_force = { k: series.k };
    }
    if (series.generation !== undefined) kpis.in_force = { ...kpis.in_force, generation: series.generation };
    this.reading = { kpis, observedAtMs: this.clock.now() };
  }
  clear(): void {
    this.reading = undefined;
  }
  current(): KpiReading | undefined {
    return this.reading;
  }
}

export function tmpDir(prefix = 'phoenix-control-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function testConfig(dataDir: string, env: Record<string, string> = {}): Promise<ControlServiceConfig> {
  const [api, obs] = await freePorts(2);
  const { config, errors } = loadConfig({
    PHOENIX_DATA_DIR: dataDir,
    PHOENIX_CONTROL_API_PORT: String(api),
    PHOENIX_OBSERVER_PORT: String(obs),
    ...env,
  });
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return config;
}

export async function startTestService(
  dataDir: string,
  opts: { env?: Record<string, string>; kpis?: FakeKpis; clock?: Clock; log?: Logger } = {},
): Promise<{ service: ControlService; config: ControlServiceConfig; kpis: FakeKpis; base: string }> {
  const config = await testConfig(dataDir, opts.env);
  const kpis = opts.kpis ?? new FakeKpis(opts.clock);
  const service = await startLifecycle(new ControlService(config, { kpis, clock: opts.clock, log: opts.log ?? silentLogger(), processMetrics: false }));
  return { service, config, kpis, base: `http://127.0.0.1:${service.apiPort}` };
}

/** Reads the control file and checks it against the schema (every file a test sees must be valid). */
export function readControlFile(file: string): OptimizationMode {
  const v = validateOptimizationMode(YAML.parse(fs.readFileSync(file, 'utf8')));
  if (!v.ok) throw new Error(`invalid control file ${file}: ${v.errors.join('; ')}`);
  return v.value;
}
