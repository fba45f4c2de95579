import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import type { Setting } from '../actuator/options';
import { ManualClock, memoryLogger, silentLogger } from '@phoenix/runtime';
import { validateOptimizationMode, type OptimizationMode } from '@phoenix/contracts';
import { ControlFileWriter, type WriteRequest } from './writer';

const setting: Setting = { mode: 'balanced', profile: 'balanced', k: 20, targetSeries: 20000 };
const req = (s: Partial<Setting> = {}, extra: Partial<WriteRequest> = {}): WriteRequest => ({
  setting: { ...setting, ...s },
  source: 'actuator',
  reason: 'test',
  ...extra,
});

function tmpFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-writer-')), 'sub', 'optimization_mode.yaml');
}

/** Reads the file and checks it against the contract schema: every file the tests see must be valid. */
function readValid(file: string): OptimizationMode {
  const v = validateOptimizationMode(YAML.parse(fs.readFileSync(file, 'utf8')));
  if (!v.ok) throw new Error(`invalid control file: ${v.errors.join('; ')}`);
  return v.value;
}

describe('ControlFileWriter', () => {
  it('writes a schema-valid document, generation 1, creating the directory', () => {
    const file = tmpFile();
    const w = new ControlFileWriter({ path: file }, new ManualClock(), silentLogger());
    const r = w.write(req({}, { reason: 'active series 31250 > budget 20000' }));
    expect(r).toMatchObject({ ok: true, written: true, generation: 1 });
    const doc = readValid(file);
    expect(doc).toMatchObject({
      version: 1,
      generation: 1,
      mode: 'balanced',
      profile: 'balanced',
      topk: { k: 20 },
      target_series: 20000,
      source: 'actuator',
      reason: 'active series 31250 > budget 20000',
      override: { expires_at: null },
    });
    expect(doc.updated_at).toBe('2026-01-01T00:00:00.000Z');
  });

  it('writes only when the decision changes (not for a new reason alone), generation + 1 per write', () => {
    const file = tmpFile();
    const w = new ControlFileWriter({ path: file }, new ManualClock(), silentLogger());
    w.write(req());
    expect(w.write(req({}, { reason: 'other words' }))).toMatchObject({ ok: true, written: false, generation: 1 });
    expect(w.write(req({ k: 21 }))).toMatchObject({ written: true, generation: 2 });
    expect(w.write(req({ k: 21 }, { source: 'override', overrideExpiresAtMs: Date.UTC(2026, 0, 2) }))).toMatchObject({ written: true, generation: 3 });
    expect(readValid(file)).toMatchObject({ generation: 3, source: 'override', override: { expires_at: '2026-01-02T00:00:00.000Z' } });
    expect(w.writeCount()).toBe(3);
  });

  it('resumes from an existing file: the next write continues its generation', () => {
    const file = tmpFile();
    const a = new ControlFileWriter({ path: file }, new ManualClock(), silentLogger());
    a.write(req());
    a.write(req({ mode: 'aggressive', k: 30 }));
    const b = new ControlFileWriter({ path: file }, new ManualClock(), silentLogger());
    const resumed = b.resume();
    expect(resumed).toMatchObject({ ok: true, document: { generation: 2, mode: 'aggressive', topk: { k: 30 } } });
    expect(b.write(req({ mode: 'aggressive', k: 30 }))).toMatchObject({ written: false, generation: 2 });
    expect(b.write(req({ mode: 'conservative' }))).toMatchObject({ written: true, generation: 3 });
    readValid(file);
  });

  it('an invalid existing file is reported, but its generation is still continued', () => {
    const file = tmpFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'version: 1\ngeneration: 41\nmode: turbo\n');
    const w = new ControlFileWriter({ path: file }, new ManualClock(), silentLogger());
    const r = w.resume();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('invalid');
      expect(r.errors.join('\n')).toMatch(/mode: must be one of/);
    }
    expect(w.write(req())).toMatchObject({ written: true, generation: 42 });
    readValid(file);
  });

  it('reports a missing file and unparseable YAML on resume', () => {
    const file = tmpFile();
    const w = new ControlFileWriter({ path: file }, new ManualClock(), silentLogger());
    expect(w.resume()).toMatchObject({ ok: false, reason: 'missing' });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'mode: [unclosed\n');
    expect(w.resume()).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('never writes a document that fails the schema (and does not throw)', () => {
    const file = tmpFile();
    const log = memoryLogger();
    const w = new ControlFileWriter({ path: file }, new ManualClock(), log);
    w.write(req());
    const before = fs.readFileSync(file, 'utf8');
    const r = w.write(req({ k: 0 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/topk\.k: must be >= 1/);
    expect(w.write(req({ targetSeries: 1.5 })).ok).toBe(false);
    expect(w.write(req({ mode: 'turbo' as never })).ok).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(w.generation()).toBe(1);
    expect(log.records.some((l) => l.level === 'error' && String(l.msg).includes('fails the schema'))).toBe(true);
  });

  it('replaces the file atomically (new inode, no temp file left) and rewrites a deleted file', () => {
    const file = tmpFile();
    const w = new ControlFileWriter({ path: file }, new ManualClock(), silentLogger());
    w.write(req());
    const ino = fs.statSync(file).ino;
    w.write(req({ k: 50 }));
    expect(fs.statSync(file).ino).not.toBe(ino);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['optimization_mode.yaml']);
    fs.unlinkSync(file);
    expect(w.write(req({ k: 50 }))).toMatchObject({ written: true, generation: 3 });
    readValid(file);
  });

  it('a failing write returns an error instead of throwing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-writer-'));
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, 'x');
    const w = new ControlFileWriter({ path: path.join(blocker, 'optimization_mode.yaml') }, new ManualClock(), silentLogger());
    const r = w.write(req());
    expect(r.ok).toBe(false);
    expect(w.generation()).toBe(0);
  });

  it('a long reason is truncated to the schema limit', () => {
    const file = tmpFile();
    const w = new ControlFileWriter({ path: file }, new ManualClock(), silentLogger());
    expect(w.write(req({}, { reason: 'x'.repeat(10000) })).ok).toBe(true);
    expect(readValid(file).reason!.length).toBe(4096);
  });
});
