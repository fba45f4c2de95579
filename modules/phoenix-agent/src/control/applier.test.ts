import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { validateOptimizationMode, type OptimizationMode } from '@phoenix/contracts';
import { ManualClock, memoryLogger } from '@phoenix/runtime';
import { ControlApplier } from './applier';
import type { ControlConfig } from './config';

const T0 = Date.UTC(2026, 0, 1);

describe('ControlApplier without phoenix-control: the agent writes the control file', () => {
  let dir: string;
  let clock: ManualClock;
  let cfg: ControlConfig;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-agent-control-'));
    clock = new ManualClock(T0);
    cfg = { manage: false, url: undefined, urlExplicit: false, token: undefined, main: '', file: path.join(dir, 'optimization_mode.yaml'), defaultTargetSeries: 20000, requestTimeoutSeconds: 1 };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const applier = () => {
    const a = new ControlApplier({ cfg, controlUrl: () => cfg.url, controlManaged: () => false, stateFile: path.join(dir, 'control-state.json'), clock, log: memoryLogger() });
    a.start();
    return a;
  };
  const fileDoc = (): OptimizationMode => {
    const parsed: unknown = YAML.parse(fs.readFileSync(cfg.file, 'utf8'));
    const v = validateOptimizationMode(parsed);
    if (!v.ok) throw new Error(v.errors.join('; '));
    return v.value;
  };
  const core = (d: OptimizationMode) => ({ generation: d.generation, mode: d.mode, profile: d.profile, k: d.topk.k, target: d.target_series, source: d.source, expires: d.override?.expires_at, reason: d.reason });

  test('allocation, explicit override with its TTL, allocation under the override, expiry back to the allocation', async () => {
    const a = applier();
    const first = await a.apply({ target_series: 1200, max_mode: 'balanced', source: 'fleet' });
    expect(first).toEqual({
      status: 'succeeded',
      result: { via: 'control_file', file: cfg.file, written: true, generation: 1, mode: 'balanced', profile: 'balanced', topk_k: 20, target_series: 1200, source: 'actuator', override_expires_at: null },
    });
    expect(core(fileDoc())).toEqual({ generation: 1, mode: 'balanced', profile: 'balanced', k: 20, target: 1200, source: 'actuator', expires: null, reason: 'fleet allocation' });
    expect(fs.readFileSync(cfg.file, 'utf8').startsWith('# Written by phoenix-agent')).toBe(true);

    const again = await a.apply({ target_series: 1200, max_mode: 'balanced' });
    expect(again).toMatchObject({ status: 'succeeded', result: { written: false, generation: 1 } });

    await a.apply({ mode: 'aggressive', topk_k: 7, ttl_seconds: 60, source: 'operator', reason: 'incident 42' });
    expect(core(fileDoc())).toEqual({ generation: 2, mode: 'aggressive', profile: 'balanced', k: 7, target: 1200, source: 'override', expires: '2026-01-01T00:01:00.000Z', reason: 'incident 42' });

    clock.advance(10_000);
    await a.apply({ target_series: 900, max_mode: 'balanced' });
    expect(core(fileDoc())).toMatchObject({ generation: 3, mode: 'aggressive', k: 7, target: 900, source: 'override', expires: '2026-01-01T00:01:00.000Z' });

    await clock.advanceAsync(50_000);
    expect(core(fileDoc())).toEqual({ generation: 4, mode: 'balanced', profile: 'balanced', k: 20, target: 900, source: 'actuator', expires: null, reason: 'override expired; fleet allocation' });
    expect(clock.pending()).toBe(0);
    a.stop();
  });

  test('an override outlives a restart of the agent: its expiry still reverts the file', async () => {
    const a = applier();
    await a.apply({ target_series: 500 });
    await a.apply({ mode: 'conservative', ttl_seconds: 30 });
    a.stop();
    const b = applier();
    expect(clock.pending()).toBe(1);
    await clock.advanceAsync(30_000);
    expect(core(fileDoc())).toMatchObject({ generation: 3, mode: 'conservative', target: 500, source: 'actuator', expires: null });
    b.stop();
  });

  test('continues the generation of a file someone else wrote; an invalid file lends its generation to the defaults', async () => {
    const doc: OptimizationMode = { version: 1, generation: 41, mode: 'balanced', profile: 'aggressive', topk: { k: 12 }, target_series: 3000, source: 'actuator', reason: 'pid', override: { expires_at: null } };
    fs.writeFileSync(cfg.file, YAML.stringify(doc));
    await applier().apply({ target_series: 2500 });
    expect(core(fileDoc())).toMatchObject({ generation: 42, mode: 'balanced', profile: 'aggressive', k: 12, target: 2500 });
    fs.writeFileSync(cfg.file, 'version: 1\ngeneration: 77\nmode: sideways\n');
    const r = await applier().apply({ target_series: 100 });
    expect(r).toMatchObject({ status: 'succeeded', result: { generation: 78, mode: 'conservative', profile: 'balanced', topk_k: 20, target_series: 100 } });
  });

  test('a control file that cannot be written fails the attempt retryably', async () => {
    cfg.file = path.join(dir, 'missing-dir-is-a-file', 'mode.yaml');
    fs.writeFileSync(path.join(dir, 'missing-dir-is-a-file'), 'x');
    const r = await applier().apply({ target_series: 100 });
    expect(r.status).toBe('failed');
    expect(r).toMatchObject({ retryable: true });
    const blocker = path.join(dir, 'missing-dir-is-a-file');
    expect((r as { error: string }).error).toBe(`could not write the control file ${cfg.file}: EEXIST: file already exists, mkdir '${blocker}'`);
  });
});
