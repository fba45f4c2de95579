/**
 * The agent's one child-process supervisor (phoenix-core, phoenix-control), behind the `SupervisedChild`
 * interface so that the general supervisor of @phoenix/runtime can replace this file without touching its
 * users. Children get an IPC channel: a Phoenix service main (runService) stops when that channel closes,
 * so an agent that dies (even by SIGKILL) leaves no orphan behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { LifecycleGuard, type Clock, type Lifecycle, type Logger, type TimerHandle } from '@phoenix/runtime';

export type ChildState = 'starting' | 'running' | 'restarting' | 'stopped' | 'crashed';

export interface ChildExit {
  code: number | null;
  signal: string | null;
  at: number;
}

export interface ChildStatus {
  state: ChildState;
  pid: number | undefined;
  /** restarts since the supervisor started (after a crash or on request) */
  restarts: number;
  lastExit: ChildExit | undefined;
  /** when the running process started */
  startedAt: number | undefined;
}

export interface ChildSpec {
  /** for logs: `phoenix-core` */
  name: string;
  /** the executable (default: this Node.js) */
  command?: string;
  args: string[];
  env: Record<string, string | undefined>;
  cwd?: string;
  /** each line of the child's stdout/stderr */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface SupervisorOptions {
  clock: Clock;
  log: Logger;
  /** restart waits: min doubling to max (0.5 s to 30 s) */
  restartMinMs: number;
  restartMaxMs: number;
  /** a run at least this long resets the restart wait to the minimum */
  stableMs: number;
  /** SIGTERM, then SIGKILL after this */
  stopGraceMs: number;
}

/** A child process kept running: restarted with backoff when it dies, stopped with the supervisor. */
export interface SupervisedChild extends Lifecycle {
  readonly name: string;
  status(): ChildStatus;
  /** Stops the running process and starts a new one at once; resolves when the new one is spawned. */
  restart(reason: string): Promise<void>;
}

class NodeChildSupervisor implements SupervisedChild {
  readonly name: string;
  private child: ChildProcess | undefined;
  private state: ChildState = 'stopped';
  private restarts = 0;
  private lastExit: ChildExit | undefined;
  private startedAt: number | undefined;
  private failures = 0;
  private timer: TimerHandle | undefined;
  private stopping = false;
  private readonly lifecycle: LifecycleGuard;

  constructor(
    private readonly spec: ChildSpec,
    private readonly o: SupervisorOptions,
  ) {
    this.name = spec.name;
    this.lifecycle = new LifecycleGuard(spec.name, async () => this.spawnChild(), () => this.doStop());
  }

  start(): Promise<void> {
    return this.lifecycle.start();
  }

  stop(): Promise<void> {
    return this.lifecycle.stop();
  }

  status(): ChildStatus {
    return { state: this.state, pid: this.child?.pid, restarts: this.restarts, lastExit: this.lastExit, startedAt: this.startedAt };
  }

  async restart(reason: string): Promise<void> {
    if (this.stopping) throw new Error(`${this.name} is stopping`);
    this.o.log.info('restarting on request', { child: this.name, reason });
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const old = this.child;
    if (old) {
      this.child = undefined; // its exit is expected: no crash restart
      this.state = 'restarting';
      await this.kill(old);
    }
    this.restarts += 1;
    this.failures = 0;
    this.spawnChild();
  }

  private spawnChild(): void {
    if (this.stopping) return;
    this.state = 'starting';
    let child: ChildProcess;
    try {
      child = spawn(this.spec.command ?? process.execPath, this.spec.args, {
        env: this.spec.env,
        cwd: this.spec.cwd,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
    } catch (err) {
      this.o.log.error('could not start child process', { child: this.name, err });
      this.onExit(undefined, { code: null, signal: null, at: this.o.clock.now() });
      return;
    }
    this.child = child;
    this.startedAt = this.o.clock.now();
    // the channel is for the child's benefit (it stops when it closes); it must not keep the agent alive
    child.channel?.unref();
    for (const [stream, s] of [['stdout', child.stdout], ['stderr', child.stderr]] as const) {
      if (!s) continue;
      const rl = readline.createInterface({ input: s, crlfDelay: Infinity });
      rl.on('line', (line) => this.spec.onLine?.(line, stream));
    }
    child.once('error', (err) => {
      this.o.log.error('child process error', { child: this.name, err });
      // a child that could not be spawned emits no exit
      if (child.pid === undefined) this.onExit(child, { code: null, signal: null, at: this.o.clock.now() });
    });
    child.once('exit', (code, signal) => this.onExit(child, { code, signal, at: this.o.clock.now() }));
    child.once('spawn', () => {
      if (this.child === child) this.state = 'running';
    });
    this.o.log.info('child process started', { child: this.name, pid: child.pid });
  }

  private onExit(child: ChildProcess | undefined, exit: ChildExit): void {
    if (child && this.child !== child && this.child !== undefined) return; // an old process of a restart
    const expected = this.stopping || (child !== undefined && this.child !== child);
    this.lastExit = exit;
    if (this.child === child) this.child = undefined;
    if (expected) return;
    const ranMs = this.startedAt === undefined ? 0 : exit.at - this.startedAt;
    if (ranMs >= this.o.stableMs) this.failures = 0;
    const waitMs = Math.min(this.o.restartMaxMs, this.o.restartMinMs * 2 ** this.failures);
    this.failures += 1;
    this.state = 'restarting';
    this.o.log.warn('child process exited; restarting with backoff', { child: this.name, code: exit.code, signal: exit.signal, ran_ms: ranMs, restart_in_ms: waitMs });
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined;
      this.restarts += 1;
      this.spawnChild();
    }, waitMs);
  }

  private kill(child: ChildProcess): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), this.o.stopGraceMs);
    force.unref();
    return exited.finally(() => clearTimeout(force));
  }

  private async doStop(): Promise<void> {
    this.stopping = true;
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const child = this.child;
    if (child) await this.kill(child);
    this.child = undefined;
    this.state = 'stopped';
  }
}

/** Supervises `spec` (not started: call start()). */
export function superviseChild(spec: ChildSpec, o: SupervisorOptions): SupervisedChild {
  return new NodeChildSupervisor(spec, o);
}
