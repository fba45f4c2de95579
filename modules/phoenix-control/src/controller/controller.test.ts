import fs from 'node:fs';
import path from 'node:path';
import { findSamples, parseExposition, ManualClock, memoryLogger } from '@phoenix/runtime';
import { Registry } from 'prom-client';
import { FakeKpis, readControlFile, tmpDir } from '../../test/helpers';
import { defaultActuatorConfig } from '../actuator/config';
import { validateControlStatus } from '@phoenix/contracts';
import { ControlFileWriter } from '../controlFileWriter/writer';
import { HistoryStore } from '../history/store';
import { Controller } from './controller';

function setup(dir = tmpDir()) {
  const clock = new ManualClock();
  const log = memoryLogger();
  const kpis = new FakeKpis(clock);
  const file = path.join(dir, 'optimization_mode.yaml');
  const writer = new ControlFileWriter({ path: file }, clock, log);
  const history = HistoryStore.open({ path: path.join(dir, 'h.sqlite'), maxRows: 1000 }, log);
  const registry = new Registry();
  const controller = new Controller({
    config: { intervalSeconds: 15 },
    actuator: defaultActuatorConfig,
    clock,
    log,
    kpis,
    writer,
    history,
    registry,
  });
  return { clock, log, kpis, file, writer, history, registry, controller, dir };
}

describe('Controller (observer -> actuator -> control file -> history)', () => {
  it('writes a valid file only when the decision changes, generation + 1 each time, through a load step', () => {
    const t = setup();
    t.kpis.set({ full: 15000 });
    t.controller.init();
    const seen: number[] = [readControlFile(t.file).generation];
    const loads = [...Array(10).fill(15000), ...Array(10).fill(75000), ...Array(10).fill(15000)];
    for (const full of loads) {
      t.clock.advance(15_000);
      t.kpis.set({ full, generation: t.writer.generation(), k: t.controller.status().k });
      t.controller.tick();
      const doc = readControlFile(t.file); // schema-validated
      if (doc.generation !== seen[seen.length - 1]) seen.push(doc.generation);
      expect(validateControlStatus(JSON.parse(JSON.stringify(t.controller.status())))).toMatchObject({ ok: true });
    }
    // generation 1 (initial), 2 (-> aggressive), 3 (-> conservative): consecutive, nothing in between.
    expect(seen).toEqual([1, 2, 3]);
    expect(t.history.list(10).map((e) => `${e.kind}:${e.from_mode}->${e.to_mode}`)).toEqual([
      'transition:aggressive->conservative',
      'transition:conservative->aggressive',
    ]);
  });

  it('stale KPIs: holds, exports phoenix_actuator_kpis_stale 1, logs once, counts holds; recovers', async () => {
    const t = setup();
    t.kpis.set({ full: 75000 });
    t.controller.init();
    expect(t.controller.status().mode).toBe('aggressive');
    t.clock.advance(60_000); // the reading is now 60 s old
    t.controller.tick();
    t.controller.tick();
    const st = t.controller.status();
    expect(st).toMatchObject({ holding: true, mode: 'aggressive', kpis_fresh: true });
    expect(st.hold_reason).toBe('KPIs stale (age 60s > 45s)');
    let exp = parseExposition(await t.registry.metrics(), { strict: true });
    expect(findSamples(exp, 'phoenix_actuator_kpis_stale')[0].value).toBe(1);
    expect(findSamples(exp, 'phoenix_actuator_holds_total', { reason: 'stale' })[0].value).toBe(2);
    expect(findSamples(exp, 'phoenix_actuator_error_ratio')).toHaveLength(0);
    expect(t.log.records.filter((r) => r.msg === 'holding the last decision')).toHaveLength(1);
    t.kpis.clear();
    t.controller.tick();
    expect(t.controller.status().hold_reason).toBe('KPIs absent');
    t.kpis.set({ full: 75000 });
    t.controller.tick();
    exp = parseExposition(await t.registry.metrics(), { strict: true });
    expect(findSamples(exp, 'phoenix_actuator_kpis_stale')[0].value).toBe(0);
    expect(t.log.records.some((r) => r.msg === 'KPIs fresh again: the actuator acts')).toBe(true);
  });

  it('with no KPIs at start it writes the least lossy mode and says it is holding', () => {
    const t = setup();
    t.controller.init();
    expect(readControlFile(t.file)).toMatchObject({ generation: 1, mode: 'conservative', source: 'actuator', reason: 'holding conservative: KPIs absent' });
    expect(t.controller.health()).toMatchObject({ status: 'degraded', kpis_fresh: false, generation: 1 });
  });

  it('an override expires by itself on the next step after its expiry (fake time)', () => {
    const t = setup();
    t.kpis.set({ full: 15000 });
    t.controller.init();
    t.controller.setOverride({ mode: 'aggressive', k: 9, reason: 'pin', ttl_seconds: 30 });
    expect(readControlFile(t.file)).toMatchObject({ mode: 'aggressive', topk: { k: 9 }, source: 'override', override: { expires_at: '2026-01-01T00:00:30.000Z' } });
    t.clock.advance(31_000);
    t.kpis.set({ full: 15000 });
    t.controller.tick();
    expect(t.controller.status()).toMatchObject({ source: 'actuator', mode: 'conservative' });
    expect(readControlFile(t.file)).toMatchObject({ source: 'actuator', override: { expires_at: null } });
    expect(t.history.list(5).map((e) => e.kind)).toEqual(['override_expired', 'override_set']);
  });

  it('resumes from the existing control file: same decision, no rewrite, generation continues', () => {
    const dir = tmpDir();
    const a = setup(dir);
    a.kpis.set({ full: 75000 });
    a.controller.init();
    const doc = readControlFile(a.file);
    expect(doc.mode).toBe('aggressive');
    a.history.close();
    const b = setup(dir);
    b.clock.set(a.clock.now() + 15_000);
    b.kpis.set({ full: 75000, generation: doc.generation, k: doc.topk.k });
    b.controller.init();
    expect(readControlFile(b.file).generation).toBe(doc.generation);
    expect(b.controller.status()).toMatchObject({ mode: 'aggressive', k: doc.topk.k, generation: doc.generation });
    expect(b.log.records.some((r) => r.msg === 'resumed from the control file')).toBe(true);
  });

  it('an invalid control file at start is reported and replaced with a valid one (generation continues)', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'optimization_mode.yaml'), 'version: 1\ngeneration: 7\nmode: balanced\n');
    const t = setup(dir);
    t.controller.init();
    expect(readControlFile(t.file).generation).toBe(8);
    expect(t.log.records.some((r) => r.level === 'warn' && r.msg === 'existing control file rejected: starting from the least lossy mode')).toBe(true);
  });
});
