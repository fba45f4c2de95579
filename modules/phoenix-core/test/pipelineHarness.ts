import { ManualClock, silentLogger, parseExposition, type Exposition } from '@phoenix/runtime';
import { defaultCoreConfig, type CoreConfig } from '../src/config/coreConfig';
import { ExpositionWriter } from '../src/exporter/expositionWriter';
import { decodeJsonRequest } from '../src/otlp/decodeJsonRequest';
import type { PipelineName } from '../src/processor/pipeline';
import { CoreService } from '../src/service/coreService';
import type { Workload } from './workload';

export const T0 = 1_700_000_000_000;
export const ROUND_MS = 10_000;

/** A core assembled but not started: ingest and render in-process, on fake time. */
export function pipelineCore(overrides: (c: CoreConfig) => void = () => undefined): { core: CoreService; clock: ManualClock } {
  const clock = new ManualClock(T0);
  const config = defaultCoreConfig();
  config.controlFile = '/nonexistent/optimization_mode.yaml';
  overrides(config);
  return { core: new CoreService(config, { clock, log: silentLogger(), timers: false }), clock };
}

/** Advances the clock one round, steps the workload and ingests its export. */
export function ingestRound(core: CoreService, clock: ManualClock, w: Workload): void {
  clock.advance(ROUND_MS);
  w.step();
  for (const r of w.requests(clock.now())) {
    const res = core.store.ingest(decodeJsonRequest(r));
    if (res.rejected > 0) throw new Error(`workload points rejected: ${res.message}`);
  }
}

export function renderPipeline(core: CoreService, p: PipelineName): { text: string; exp: Exposition; series: number } {
  const w = new ExpositionWriter();
  core.pipelines.get(p)?.render(w);
  const text = w.toString();
  return { text, exp: parseExposition(text, { strict: true }), series: w.series };
}

/** Σ of exposed samples per `host \0 family` (rollup member counts excluded). */
export function totalsByHostFamily(exp: Exposition): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of exp.samples) {
    if (s.name === 'phoenix_rollup_members') continue;
    const k = `${s.labels.host_name ?? ''}\u0000${s.name}`;
    out.set(k, (out.get(k) ?? 0) + s.value);
  }
  return out;
}
