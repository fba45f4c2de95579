/**
 * The agent's children (phoenix-core, phoenix-control) on the runtime's ChildSupervisor, seen through the
 * `SupervisedChild` status the heartbeat and /health report. Children get an IPC channel: a Phoenix service
 * main (runService) stops when that channel closes, so an agent that dies (even by SIGKILL) leaves no orphan.
 */
import { ChildSupervisor, type Clock, type Lifecycle, type Logger } from '@phoenix/runtime';

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

/** A SupervisedChild on the runtime's ChildSupervisor. */
class RuntimeChild implements SupervisedChild {
  readonly name: string;
  private readonly sup: ChildSupervisor;
  private state: ChildState = 'stopped';
  private lastExit: ChildExit | undefined;
  private startedAt: number | undefined;
  private stopped = false;

  constructor(spec: ChildSpec, private readonly o: SupervisorOptions) {
    this.name = spec.name;
    this.sup = new ChildSupervisor({
      name: spec.name,
      command: spec.command ?? process.execPath,
      args: spec.args,
      cwd: spec.cwd,
      env: spec.env,
      inheritEnv: false,
      ipc: true,
      ownProcessGroup: true,
      restart: { initialDelayMs: o.restartMinMs, maxDelayMs: o.restartMaxMs, resetAfterMs: o.stableMs },
      stopGraceMs: o.stopGraceMs,
      onLine: spec.onLine,
      log: o.log,
      clock: o.clock,
      onSpawn: () => {
        this.state = 'running';
        this.startedAt = o.clock.now();
      },
      onExit: (e, restartInMs) => {
        this.lastExit = { code: e.code, signal: e.signal ?? null, at: o.clock.now() };
        this.state = restartInMs !== undefined ? 'restarting' : this.state === 'stopped' ? 'stopped' : 'crashed';
      },
    });
  }

  async start(): Promise<void> {
    if (this.stopped) throw new Error(`${this.name} is stopped; it cannot be started again`);
    this.state = 'starting';
    try {
      await this.sup.start();
    } catch (err) {
      // a child that cannot be spawned is retried with backoff (the supervisor keeps it), never thrown
      this.o.log.error('could not start child process', { child: this.name, err });
      this.state = 'restarting';
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.state = 'stopped';
    await this.sup.stop();
    this.state = 'stopped';
  }

  status(): ChildStatus {
    return {
      state: this.state,
      pid: this.sup.pid,
      restarts: Math.max(0, this.sup.starts - 1),
      lastExit: this.lastExit,
      startedAt: this.startedAt,
    };
  }

  async restart(reason: string): Promise<void> {
    this.state = 'restarting';
    await this.sup.restartNow(reason);
  }
}

/** Supervises `spec` (not started: call start()). */
export function superviseChild(spec: ChildSpec, o: SupervisorOptions): SupervisedChild {
  return new RuntimeChild(spec, o);
}
