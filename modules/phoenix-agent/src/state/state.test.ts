import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ManualClock } from '@phoenix/runtime';
import { JsonlLog } from './jsonlLog';
import { SeqCounter } from './seqCounter';
import { StateDir } from './stateDir';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-agent-state-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('JsonlLog', () => {
  test('appends, reloads, skips a torn last line and appends after it on a fresh line', () => {
    const file = path.join(dir, 'x.jsonl');
    const log = new JsonlLog<{ n: number }>(file);
    expect(log.load()).toEqual({ records: [], torn: 0 });
    log.append([{ n: 1 }, { n: 2 }]);
    log.close();
    fs.appendFileSync(file, '{"n":3'); // a crash mid-append
    const again = new JsonlLog<{ n: number }>(file);
    expect(again.load()).toEqual({ records: [{ n: 1 }, { n: 2 }], torn: 1 });
    again.append([{ n: 4 }]);
    expect(again.lines).toBe(4);
    again.rewrite([{ n: 4 }]);
    expect(again.lines).toBe(1);
    again.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"n":4}\n');
  });
});

describe('SeqCounter', () => {
  test('starts at now_ms * 1000, persists a reservation, and a restart continues above it', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const file = path.join(dir, 'seq.json');
    const a = new SeqCounter(file, clock, 10);
    a.open();
    expect([a.take('metrics'), a.take('metrics'), a.take('logs')]).toEqual([1_700_000_000_000_000, 1_700_000_000_000_001, 1_700_000_000_000_000]);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ metrics: 1_700_000_000_000_009, logs: 1_700_000_000_000_009 });
    // the clock went back (NTP step): the saved reservation still orders them
    clock.set(1_600_000_000_000);
    const b = new SeqCounter(file, clock, 10);
    b.open();
    expect(b.take('metrics')).toBe(1_700_000_000_000_010);
    // the clock moved on: numbers start from it
    clock.set(1_800_000_000_000);
    const c = new SeqCounter(file, clock, 10);
    c.open();
    expect(c.take('logs')).toBe(1_800_000_000_000_000);
  });
});

describe('StateDir', () => {
  test('one agent at a time; a lock of a dead process is taken over; release removes it', () => {
    const sd = new StateDir(path.join(dir, 'agent'));
    sd.acquire();
    expect(fs.readFileSync(sd.file('agent.lock'), 'utf8')).toBe(`${process.pid}\n`);
    const other = new StateDir(path.join(dir, 'agent'), process.pid + 1);
    expect(() => other.acquire()).toThrow(`${path.join(dir, 'agent')} is in use by another phoenix-agent (pid ${process.pid}); give each agent its own PHOENIX_DATA_DIR`);
    sd.release();
    expect(fs.existsSync(sd.file('agent.lock'))).toBe(false);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    fs.writeFileSync(sd.file('agent.lock'), `${dead}\n`);
    sd.acquire();
    expect(fs.readFileSync(sd.file('agent.lock'), 'utf8')).toBe(`${process.pid}\n`);
    sd.release();
  });
});
