import fs from 'node:fs';
import path from 'node:path';
import { processAlive } from '@phoenix/runtime';

/**
 * The agent's state directory (`<PHOENIX_DATA_DIR>/agent`), held by one agent at a time through a lock
 * file with its pid: two agents sharing an outbox or a journal would report twice. A lock whose process is
 * gone (SIGKILL, power cut) is taken over.
 */
export class StateDir {
  private held = false;

  constructor(
    readonly dir: string,
    private readonly pid = process.pid,
  ) {}

  file(name: string): string {
    return path.join(this.dir, name);
  }

  /** Creates the directory and takes the lock; throws when another live agent holds it. */
  acquire(): void {
    if (this.held) return;
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const lock = this.file('agent.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = fs.openSync(lock, 'wx', 0o600);
        fs.writeSync(fd, `${this.pid}\n`);
        fs.closeSync(fd);
        this.held = true;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = Number.parseInt(fs.readFileSync(lock, 'utf8').trim(), 10);
      if (Number.isInteger(owner) && owner > 0 && owner !== this.pid && processAlive(owner)) {
        throw new Error(`${this.dir} is in use by another phoenix-agent (pid ${owner}); give each agent its own PHOENIX_DATA_DIR`);
      }
      fs.rmSync(lock, { force: true });
    }
    throw new Error(`could not take the lock ${lock}`);
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    fs.rmSync(this.file('agent.lock'), { force: true });
  }
}
