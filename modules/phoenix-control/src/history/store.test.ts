import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateControlHistory } from '@phoenix/contracts';
import { silentLogger } from '@phoenix/runtime';
import { HistoryStore, type NewHistoryEntry } from './store';

const entry = (over: Partial<NewHistoryEntry> = {}): NewHistoryEntry => ({
  at: '2026-01-01T00:00:00.000Z',
  kind: 'transition',
  generation: 2,
  from_mode: 'conservative',
  from_profile: 'balanced',
  from_k: 20,
  to_mode: 'aggressive',
  to_profile: 'balanced',
  to_k: 314,
  target_series: 20000,
  source: 'actuator',
  reason: 'full_fidelity would expose 75000 series > budget 19000',
  error: 2.75,
  ...over,
});

const tmpDb = (): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-history-')), 'control_history.sqlite');

describe('HistoryStore (SQLite)', () => {
  it('records entries and lists them newest first, in the contract shape', () => {
    const s = HistoryStore.open({ path: tmpDb(), maxRows: 100 }, silentLogger());
    s.record(entry());
    s.record(entry({ kind: 'adjustment', from_mode: 'aggressive', to_k: 320, generation: 3 }));
    const list = s.list(10);
    expect(list.map((e) => e.kind)).toEqual(['adjustment', 'transition']);
    expect(list[1]).toEqual({ id: 1, ...entry() });
    expect(validateControlHistory({ entries: list })).toMatchObject({ ok: true });
    expect(s.list(1)).toHaveLength(1);
    s.close();
  });

  it('survives a restart (WAL file on disk)', () => {
    const file = tmpDb();
    const a = HistoryStore.open({ path: file, maxRows: 100 }, silentLogger());
    a.record(entry());
    a.record(entry({ kind: 'override_set', source: 'override', override_mode: 'conservative', expires_at: '2026-01-01T01:00:00.000Z' }));
    a.close();
    const b = HistoryStore.open({ path: file, maxRows: 100 }, silentLogger());
    expect(b.list(10)).toHaveLength(2);
    expect(b.openOverride()).toMatchObject({ kind: 'override_set', override_mode: 'conservative' });
    b.record(entry({ kind: 'override_cleared', source: 'actuator' }));
    expect(b.openOverride()).toBeUndefined();
    expect((b as unknown as { db: { pragma(s: string, o: object): unknown } }).db.pragma('journal_mode', { simple: true })).toBe('wal');
    b.close();
  });

  it('prunes beyond maxRows and never throws on a closed database', () => {
    const s = HistoryStore.open({ path: tmpDb(), maxRows: 10 }, silentLogger());
    for (let i = 0; i < 25; i++) s.record(entry({ generation: i }));
    s.prune();
    expect(s.list(100)).toHaveLength(10);
    s.close();
    expect(s.record(entry())).toBeUndefined();
    expect(s.failureCount()).toBe(1);
    expect(s.list(5)).toEqual([]);
  });
});
