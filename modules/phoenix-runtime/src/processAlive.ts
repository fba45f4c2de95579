/**
 * True while a process with this pid exists (signal 0). EPERM means it exists but belongs to another user:
 * alive too. Used for pid lock files and for tests that a stopped service left no process behind.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
