import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock, memoryLogger } from '@phoenix/runtime';
import { TaskJournal } from './journal';

describe('TaskJournal', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-agent-journal-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a finished task survives a restart; the journal keeps the last maxEntries tasks', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const file = path.join(dir, 'journal.jsonl');
    const j = new TaskJournal(file, 10, clock, memoryLogger());
    j.open();
    j.record('t1', 'set_control', 1, { status: 'succeeded', result: { generation: 4 } });
    for (let i = 2; i <= 12; i++) j.record(`t${i}`, 'collect_diagnostics', 2, { status: 'failed', error: 'x', retryable: true });
    j.close();
    const again = new TaskJournal(file, 10, clock, memoryLogger());
    again.open();
    expect(again.size).toBe(10);
    expect(again.get('t1')).toBeUndefined();
    expect(again.get('t2')).toBeUndefined();
    expect(again.get('t12')).toEqual({ task_id: 't12', type: 'collect_diagnostics', attempt: 2, finished_at: '2026-01-01T00:00:00.000Z', outcome: { status: 'failed', error: 'x', retryable: true } });
    again.close();
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(10);
  });
});
