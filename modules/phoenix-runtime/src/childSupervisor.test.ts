import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChildSupervisor, describeExit, restartDelayMs, type ChildExit, type ChildSupervisorOptions } from './childSupervisor';
import { ManualClock } from './clock';
import { freePort } from './freePort';
import type { OutputStream } from './outputLines';

/** A supervisor of `node -e script`; stopped after each test. */
const made: ChildSupervisor[] = [];
function node(script: string, o: Partial<ChildSupervisorOptions> = {}): ChildSupervisor {
  const s = new ChildSupervisor({ name: 'c', command: process.execPath, args: ['-e', script], stopGraceMs: 2000, ...o });
  made.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(made.splice(0).map((s) => s.stop()));
});

const READY_AND_WAIT = `console.log('out one'); console.error('err one'); console.log('ready'); setInterval(() => {}, 1000);`;

describe('ChildSupervisor', () => {
  it('start waits for a line; both streams are captured; stop sends SIGTERM and reports how it exited', async () => {
    const lines: Array<[OutputStream, string]> = [];
    const s = node(`process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); ${READY_AND_WAIT}`, {
      ready: { line: /^ready$/ },
      onLine: (line, stream) => lines.push([stream, line]),
    });
    await s.start();
    expect(s.pid).toEqual(expect.any(Number));
    expect(s.output().split('\n')).toEqual(expect.arrayContaining(['out one', 'ready']));
    await s.stop(); // resolves once the child has closed its output: every line is in
    expect(s.lastExit).toEqual({ code: 0, signal: null, killed: false });
    expect(describeExit(s.lastExit!)).toBe('code 0');
    expect(lines.filter(([st]) => st === 'stdout').map(([, l]) => l)).toEqual(['out one', 'ready', 'bye']);
    expect(lines.filter(([st]) => st === 'stderr').map(([, l]) => l)).toEqual(['err one']);
    expect(s.pid).toBeUndefined();
    expect(s.output().split('\n').sort()).toEqual(['bye', 'err one', 'out one', 'ready']);
  });

  it('ownProcessGroup: the child leads a process group of its own (a signal to the group of its supervisor misses it)', async () => {
    const pgrp = (pid: number): number => Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[2]);
    const own = node(READY_AND_WAIT, { ready: { line: /^ready$/ }, ownProcessGroup: true });
    const shared = node(READY_AND_WAIT, { ready: { line: /^ready$/ } });
    await Promise.all([own.start(), shared.start()]);
    expect(pgrp(own.pid!)).toBe(own.pid);
    expect(pgrp(shared.pid!)).toBe(pgrp(process.pid));
  });

  it('start waits until every health URL answers 2xx (a 503 does not count)', async () => {
    const port = await freePort();
    const script = `let n = 0; require('node:http').createServer((q, r) => { n += 1; const st = n < 4 ? 503 : 200; console.log('status ' + st); r.writeHead(st); r.end(); }).listen(${port}, '127.0.0.1');`;
    const s = node(script, { ready: { url: `http://127.0.0.1:${port}/health`, intervalMs: 20 } });
    await s.start();
    expect(s.output()).toBe('status 503\nstatus 503\nstatus 503\nstatus 200');
  });

  it('a child that exits before it is ready: start rejects with its exit and its output', async () => {
    const s = node(`console.error('config broken'); process.exit(2);`, { ready: { url: `http://127.0.0.1:${await freePort()}/`, intervalMs: 20 } });
    await expect(s.start()).rejects.toThrow(/^c exited \(code 2\) before it was ready\n--- c output ---\nconfig broken$/);
    expect(s.lastExit).toEqual({ code: 2, signal: null, killed: false });
  });

  it('not ready by the deadline: start rejects naming what it waited for, and leaves the child to the caller', async () => {
    // long enough for the child to have printed its lines even on a loaded machine
    const s = node(READY_AND_WAIT, { ready: { line: /never/, timeoutMs: 4000 } });
    await expect(s.start()).rejects.toThrow(/^c: not ready after 4000 ms \(waiting for a line matching \/never\/\)\n--- c output ---\n/);
    expect(s.pid).toEqual(expect.any(Number));
    await s.stop();
    expect(s.lastExit).toEqual({ code: null, signal: 'SIGTERM', killed: false });
  });

  it('stop sends SIGKILL after the grace period when SIGTERM is ignored', async () => {
    const s = node(`process.on('SIGTERM', () => console.log('ignored')); ${READY_AND_WAIT}`, { ready: { line: /^ready$/ }, stopGraceMs: 200 });
    await s.start();
    await s.stop();
    expect(s.lastExit).toEqual({ code: null, signal: 'SIGKILL', killed: true });
    expect(s.output().split('\n')).toContain('ignored');
  });

  it('Lifecycle: start twice is one start, stop twice one stop, start after stop rejects, stop without start spawns nothing', async () => {
    const pids: number[] = [];
    const s = node(READY_AND_WAIT, { ready: { line: /^ready$/ }, onSpawn: (pid) => pids.push(pid) });
    await Promise.all([s.start(), s.start()]);
    expect(pids).toHaveLength(1);
    await Promise.all([s.stop(), s.stop()]);
    expect(s.starts).toBe(1);
    await expect(s.start()).rejects.toThrow('c is stopped; it cannot be started again');
    const never = node(READY_AND_WAIT, { onSpawn: (pid) => pids.push(pid) });
    await never.stop();
    expect(never.starts).toBe(0);
    expect(pids).toHaveLength(1);
  });

  it('stop while start waits for readiness ends the wait and the child', async () => {
    const s = node(READY_AND_WAIT, { ready: { line: /never/, timeoutMs: 60_000 } });
    const started = s.start();
    await s.waitForLine(/^ready$/, 10_000);
    await s.stop();
    await expect(started).rejects.toThrow('c: stopped before it was ready');
    expect(s.lastExit).toEqual({ code: null, signal: 'SIGTERM', killed: false });
  });

  it('a command that cannot be started: start rejects with the spawn error, which the exit reports', async () => {
    const s = new ChildSupervisor({ name: 'nothing', command: '/nonexistent/phoenix-x' });
    made.push(s);
    await expect(s.start()).rejects.toThrow('nothing: could not start /nonexistent/phoenix-x: spawn /nonexistent/phoenix-x ENOENT');
    expect(s.lastExit).toEqual({ code: null, signal: null, killed: false, error: 'spawn /nonexistent/phoenix-x ENOENT' });
  });

  it('env: added to this environment, or alone with inheritEnv false; an undefined value removes a variable; ipc opens a channel', async () => {
    const show = `console.log(JSON.stringify({ a: process.env.A ?? null, path: process.env.PATH !== undefined, home: process.env.HOME ?? null, ipc: typeof process.send })); if (process.channel) process.channel.unref();`;
    const run = async (o: Partial<ChildSupervisorOptions>): Promise<unknown> => {
      const s = node(show, o);
      await s.start();
      await s.exited();
      return JSON.parse(s.output());
    };
    expect(await run({ env: { A: '1', HOME: undefined } })).toEqual({ a: '1', path: true, home: null, ipc: 'undefined' });
    expect(await run({ env: { A: '2' }, inheritEnv: false })).toEqual({ a: '2', path: false, home: null, ipc: 'undefined' });
    expect(await run({ ipc: true })).toMatchObject({ ipc: 'function' });
  });
});

describe('ChildSupervisor restarts', () => {
  it('restartDelayMs: 0.5 s doubling to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 40].map((n) => restartDelayMs(n))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(restartDelayMs(3, { initialDelayMs: 100, maxDelayMs: 250 })).toBe(250);
  });

  it('a child that keeps dying is restarted after 0.5 s, 1 s, 2 s ...; stop cancels the pending restart', async () => {
    const clock = new ManualClock(0);
    const exits: Array<[ChildExit, number | undefined]> = [];
    const s = node(`process.exit(3)`, { restart: true, clock, onExit: (e, inMs) => exits.push([e, inMs]) });
    await s.start();
    await s.exited();
    clock.advance(499);
    expect(s.starts).toBe(1);
    clock.advance(1);
    expect(s.starts).toBe(2);
    await s.exited();
    clock.advance(1000);
    await s.exited();
    expect(exits).toEqual([
      [{ code: 3, signal: null, killed: false }, 500],
      [{ code: 3, signal: null, killed: false }, 1000],
      [{ code: 3, signal: null, killed: false }, 2000],
    ]);
    await s.stop();
    expect(clock.pending()).toBe(0);
    clock.advance(60_000);
    expect(s.starts).toBe(3);
  });

  it('a run that lasted resetAfterMs starts the backoff again at 0.5 s', async () => {
    const clock = new ManualClock(0);
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-child-')), 'second-run');
    const delays: Array<number | undefined> = [];
    // the first run dies at once; the second one stays up until killed
    const script = `const fs = require('node:fs'); if (!fs.existsSync(${JSON.stringify(marker)})) { fs.writeFileSync(${JSON.stringify(marker)}, ''); process.exit(1); } console.log('up'); setInterval(() => {}, 1000);`;
    const s = node(script, { restart: true, clock, onExit: (_e, inMs) => delays.push(inMs) });
    await s.start();
    await s.exited();
    clock.advance(500);
    await s.waitForLine(/^up$/, 10_000);
    clock.advance(30_000);
    const second = s.exited();
    s.child!.kill('SIGKILL'); // a crash, not a stop
    expect(await second).toEqual({ code: null, signal: 'SIGKILL', killed: false });
    expect(delays).toEqual([500, 500]);
  });

  it('restartNow replaces the running child at once (SIGTERM first, no backoff) and waits until the new one is ready', async () => {
    const exits: Array<[ChildExit, number | undefined]> = [];
    const s = node(`process.on('SIGTERM', () => { console.log('bye ' + process.pid); process.exit(0); }); ${READY_AND_WAIT}`, {
      ready: { line: /^ready$/ },
      restart: true,
      onExit: (e, inMs) => exits.push([e, inMs]),
    });
    await expect(s.restartNow()).rejects.toThrow('c: not running under supervision (new)');
    await s.start();
    const first = s.pid;
    await s.restartNow('test');
    expect(s.pid).toEqual(expect.any(Number));
    expect(s.pid).not.toBe(first);
    expect(s.starts).toBe(2);
    // the replaced run exited on SIGTERM and no backoff restart was scheduled for it
    expect(exits).toEqual([[{ code: 0, signal: null, killed: false }, undefined]]);
    expect(s.output()).toContain(`bye ${String(first)}`);
    await s.stop();
    await expect(s.restartNow()).rejects.toThrow('c: not running under supervision');
    expect(s.starts).toBe(2);
  });
});
