import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryLogger, systemClock, processAlive } from '@phoenix/runtime';
import { waitFor } from '@phoenix/testkit';
import { superviseChild, type SupervisedChild } from './childProcess';

const CHILD = `
process.stdout.write('started ' + process.pid + ' ipc=' + (typeof process.send === 'function') + '\\n');
process.stderr.write('to stderr\\n');
process.on('SIGTERM', () => { process.stdout.write('sigterm\\n'); process.exit(0); });
setInterval(() => {}, 1000);
`;

describe('superviseChild', () => {
  let dir: string;
  let script: string;
  let child: SupervisedChild | undefined;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-agent-child-'));
    script = path.join(dir, 'child.js');
    fs.writeFileSync(script, CHILD);
  });
  afterEach(async () => {
    await child?.stop();
    child = undefined;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function start(lines: string[], log = memoryLogger()) {
    child = superviseChild(
      { name: 'demo', args: [script], env: { ...process.env }, onLine: (l, s) => lines.push(`${s}: ${l}`) },
      { clock: systemClock, log, restartMinMs: 50, restartMaxMs: 400, stableMs: 60_000, stopGraceMs: 2000 },
    );
    return { child, log };
  }

  test('runs the child with an IPC channel, its output line by line; a crash restarts it with doubling waits', async () => {
    const lines: string[] = [];
    const { child: c, log } = start(lines);
    await c.start();
    await waitFor(() => lines.length >= 2, { what: 'the first lines' });
    const first = c.status();
    expect([first.state, first.restarts]).toEqual(['running', 0]);
    expect(lines.sort()).toEqual([`stderr: to stderr`, `stdout: started ${first.pid} ipc=true`]);
    process.kill(first.pid!, 'SIGKILL');
    await waitFor(() => c.status().restarts === 1 && c.status().state === 'running' && c.status().pid !== first.pid, { what: 'the first restart' });
    expect(c.status().lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
    process.kill(c.status().pid!, 'SIGKILL');
    await waitFor(() => c.status().restarts === 2 && c.status().state === 'running', { what: 'the second restart' });
    const waits = log.records.filter((r) => r.msg === 'child exited; restarting').map((r) => r.restart_in_ms);
    expect(waits).toEqual([50, 100]);
    expect(processAlive(first.pid!)).toBe(false);
  });

  test('restart() replaces the process at once (SIGTERM first); stop() ends it; stop twice and stop without start are fine', async () => {
    const lines: string[] = [];
    const { child: c, log } = start(lines);
    await c.stop();
    expect(c.status().state).toBe('stopped');
    const fresh = start(lines, log).child;
    await fresh.start();
    await waitFor(() => lines.some((l) => l.startsWith('stdout: started')), { what: 'the child to run its script' });
    const before = fresh.status().pid!;
    await fresh.restart('test');
    await waitFor(() => fresh.status().state === 'running' && fresh.status().pid !== before, { what: 'the new process' });
    expect(fresh.status().restarts).toBe(1);
    // the old process handled SIGTERM (its last line may arrive after its exit)
    await waitFor(() => lines.includes('stdout: sigterm'), { what: 'the SIGTERM line' });
    expect(log.records.some((r) => r.msg === 'child exited; restarting')).toBe(false);
    const last = fresh.status().pid!;
    await fresh.stop();
    await fresh.stop();
    expect(fresh.status()).toMatchObject({ state: 'stopped', pid: undefined });
    expect(processAlive(last)).toBe(false);
    await expect(fresh.start()).rejects.toThrow('demo is stopped; it cannot be started again');
  });

  test('a command that cannot be spawned is retried with backoff, never thrown', async () => {
    const log = memoryLogger();
    child = superviseChild(
      { name: 'missing', command: path.join(dir, 'no-such-binary'), args: [], env: {} },
      { clock: systemClock, log, restartMinMs: 20, restartMaxMs: 40, stableMs: 60_000, stopGraceMs: 100 },
    );
    await child.start();
    await waitFor(() => (child?.status().restarts ?? 0) >= 2, { what: 'restart attempts' });
    expect(log.records.some((r) => r.msg === 'could not start child process')).toBe(true);
  });
});
