import { spawnSync } from 'node:child_process';
import { processAlive } from './processAlive';

describe('processAlive', () => {
  it('is true for this process and pid 1 (another user: EPERM), false for a process that has exited', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(1)).toBe(true);
    const done = spawnSync(process.execPath, ['-e', '0']);
    expect(done.status).toBe(0);
    expect(processAlive(done.pid)).toBe(false);
  });
});
