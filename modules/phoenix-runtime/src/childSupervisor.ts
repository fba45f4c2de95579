import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { sleep, systemClock, type Clock, type TimerHandle } from './clock';
import { LifecycleGuard, type Lifecycle } from './lifecycle';
import type { Logger } from './log';
import { OutputLines, type OutputStream } from './outputLines';

/** How a child process ended. */
export interface ChildExit {
  /** the exit code; null when a signal ended it (or it never started) */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stop() had to SIGKILL it after the grace period (or kill() was called) */
  killed: boolean;
  /** why it could not be started (e.g. `spawn /x ENOENT`) */
  error?: string;
}

/** `code 0`, `signal SIGKILL`, or the spawn error. */
export function describeExit(e: ChildExit): string {
  if (e.error) return e.error;
  return e.signal ? `signal ${e.signal}` : `code ${String(e.code)}`;
}

/** When a child counts as ready: every URL answers 2xx and (when given) a line of its output matched. */
export interface ChildReadiness {
  url?: string | string[];
  line?: RegExp;
  /** deadline of the wait (default 30 s) */
  timeoutMs?: number;
  /** poll period of the URLs (default 100 ms) */
  intervalMs?: number;
}

/** Restart a child that dies: after `initialDelayMs`, doubling up to `maxDelayMs`; a run of `resetAfterMs` resets it. */
export interface ChildRestart {
  initialDelayMs?: number;
  maxDelayMs?: number;
  resetAfterMs?: number;
}

export const DEFAULT_RESTART: Required<ChildRestart> = { initialDelayMs: 500, maxDelayMs: 30_000, resetAfterMs: 30_000 };

/** The delay before restart number `failures` (1 = the first quick failure): initial × 2^(failures−1), at most max. */
export function restartDelayMs(failures: number, r: ChildRestart = {}): number {
  const o = { ...DEFAULT_RESTART, ...r };
  return Math.min(o.maxDelayMs, o.initialDelayMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
}

export interface ChildSupervisorOptions {
  /** in messages and log lines, e.g. `phoenix-core` */
  name: string;
  /** the executable, e.g. `process.execPath` */
  command: string;
  args?: string[];
  cwd?: string;
  /** added to the environment; an undefined value removes the variable */
  env?: Record<string, string | undefined>;
  /** start from this process's environment (default true) or from `env` alone */
  inheritEnv?: boolean;
  /** written to the child's stdin, which is then closed (default: no stdin) */
  stdin?: string;
  /**
   * open an IPC channel: a Phoenix service main (runService) stops itself when the channel closes, so a
   * child never outlives its supervisor, even one killed with SIGKILL
   */
  ipc?: boolean;
  /**
   * run the child in its own process group, so a terminal's Ctrl-C reaches only the supervisor, which stops
   * its children itself, in its order (default false; pair it with `ipc` so the child still ends with its
   * supervisor)
   */
  ownProcessGroup?: boolean;
  /** what start() waits for (default: nothing, start() resolves once spawned) */
  ready?: ChildReadiness;
  /** restart the child when it dies (default false) */
  restart?: boolean | ChildRestart;
  /** SIGKILL this long after SIGTERM (default 5 s) */
  stopGraceMs?: number;
  /** every line of output, without its newline */
  onLine?: (line: string, stream: OutputStream) => void;
  /** lines kept for output() (default 1000) */
  tailLines?: number;
  /** longer lines are cut (default 16384 characters) */
  maxLineLength?: number;
  /** the supervisor's own events: started, exited, restarting */
  log?: Logger;
  onSpawn?: (pid: number, run: number) => void;
  /** `restartInMs` is set when a restart is scheduled */
  onExit?: (exit: ChildExit, restartInMs: number | undefined) => void;
  /** time of the deadlines, the backoff and the grace period (default the system clock) */
  clock?: Clock;
  fetch?: typeof fetch;
}

interface Run {
  child: ChildProcess;
  number: number;
  startedAt: number;
  firstLine: number;
  exited: Promise<ChildExit>;
}

/**
 * One supervised child process (a Phoenix service, Prometheus, any command), as a {@link Lifecycle}:
 * - `start()` spawns it and waits until it is ready ({@link ChildReadiness}); it rejects when the child exits
 *   first (unless it is restarted), when the deadline passes, or when stop() is called; the child is then left
 *   to the caller (call stop(), or keep it supervised);
 * - its output is split into lines, handed to `onLine` and kept, bounded, for `output()`;
 * - with `restart`, a child that dies is started again after an exponential backoff ({@link restartDelayMs});
 * - `stop()` sends SIGTERM, then SIGKILL after the grace period; it resolves once the child has exited, and is
 *   idempotent. A child still running when this process exits is killed.
 */
export class ChildSupervisor implements Lifecycle {
  private readonly clock: Clock;
  private readonly lines: OutputLines;
  private readonly guard: LifecycleGuard;
  private readonly abort = new AbortController();
  private readonly restart: Required<ChildRestart> | undefined;
  private run: Run | undefined;
  private runs = 0;
  private quickFailures = 0;
  private exit: ChildExit | undefined;
  private restartTimer: TimerHandle | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private killing = false;
  private stopping = false;
  /** the current run is being replaced by restartNow(): its exit is expected */
  private replacing = false;
  /** waits in progress, woken by a spawn or an exit */
  private readonly wakers = new Set<() => void>();
  private readonly killOnExit = (): void => {
    this.run?.child.kill('SIGKILL');
  };

  constructor(private readonly o: ChildSupervisorOptions) {
    this.clock = o.clock ?? systemClock;
    this.lines = new OutputLines({ tailLines: o.tailLines, maxLineLength: o.maxLineLength, onLine: o.onLine });
    this.restart = o.restart ? { ...DEFAULT_RESTART, ...(o.restart === true ? {} : o.restart) } : undefined;
    this.guard = new LifecycleGuard(o.name, () => this.doStart(), () => this.doStop());
  }

  get name(): string {
    return this.o.name;
  }

  /** pid of the running child; undefined between runs and after the end */
  get pid(): number | undefined {
    return this.run?.child.pid;
  }

  /** the child process of the current run (tests that signal it directly) */
  get child(): ChildProcess | undefined {
    return this.run?.child;
  }

  /** how the last run ended; undefined while the first one runs */
  get lastExit(): ChildExit | undefined {
    return this.exit;
  }

  /** how many times the child was started */
  get starts(): number {
    return this.runs;
  }

  /** the last lines of its output, joined by newlines */
  output(): string {
    return this.lines.text();
  }

  start(): Promise<void> {
    return this.guard.start();
  }

  /** SIGTERM, SIGKILL after the grace period; no restart after it. Resolves once the child has exited. */
  stop(reason?: string): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    return this.guard.stop(reason);
  }

  /**
   * Replaces the running child at once (SIGTERM, SIGKILL after the grace period, then a new spawn without
   * backoff) and waits until the new one is ready; a restart that was scheduled after a crash is started now.
   * Rejects when the supervisor was not started or is stopping.
   */
  async restartNow(reason = 'restart requested'): Promise<void> {
    if (this.stopping || this.guard.current !== 'started') throw new Error(`${this.o.name}: not running under supervision (${this.guard.current})`);
    this.o.log?.info('restarting child on request', { child: this.o.name, reason });
    this.clearRestart();
    const run = this.run;
    if (run) {
      this.replacing = true;
      try {
        await this.terminate(run);
      } finally {
        this.replacing = false;
      }
    }
    if (this.stopping) return;
    this.clearRestart();
    this.quickFailures = 0;
    await this.spawnRun();
    await this.waitUntilReady();
  }

  /** SIGKILL now (a second Ctrl-C); no restart after it. */
  kill(): void {
    this.stopping = true;
    this.clearRestart();
    if (this.run) {
      this.killing = true;
      this.run.child.kill('SIGKILL');
    }
  }

  /** Resolves with how the current run ends (at once with the last exit when none runs). */
  exited(): Promise<ChildExit> {
    if (this.run) return this.run.exited;
    return Promise.resolve(this.exit ?? { code: null, signal: null, killed: false, error: `${this.o.name} was not started` });
  }

  /**
   * Waits until the child is ready as `ready` says (default: the options' readiness); rejects when it exits first
   * (and is not restarted), after the deadline, or on stop(). Lines already printed by the current run count.
   */
  async waitUntilReady(ready: ChildReadiness | undefined = this.o.ready): Promise<void> {
    if (!ready) return;
    const urls = ready.url === undefined ? [] : Array.isArray(ready.url) ? ready.url : [ready.url];
    const timeoutMs = ready.timeoutMs ?? 30_000;
    const deadline = this.clock.now() + timeoutMs;
    const what = [...urls.map((u) => `${u} to answer 2xx`), ...(ready.line ? [`a line matching ${String(ready.line)}`] : [])].join(' and ');
    let lineRun = -1;
    const re = ready.line;
    const matches = (text: string): boolean => {
      if (!re) return false;
      re.lastIndex = 0; // a /g or /y expression keeps state between tests
      return re.test(text);
    };
    let wake = new AbortController();
    const wakeUp = (): void => wake.abort();
    this.wakers.add(wakeUp);
    const unsubscribe = this.lines.subscribe((l) => {
      if (this.run && l.seq > this.run.firstLine && matches(l.text)) {
        lineRun = this.run.number;
        wakeUp();
      }
    });
    try {
      for (;;) {
        if (this.abort.signal.aborted) throw new Error(`${this.o.name}: stopped before it was ready`);
        const run = this.run;
        if (!run && this.restartTimer === undefined) {
          throw new Error(`${this.o.name} exited (${this.exit ? describeExit(this.exit) : 'not started'}) before it was ready${this.tail()}`);
        }
        if (run) {
          if (re && lineRun !== run.number && this.lines.lines(run.firstLine).some((l) => matches(l.text))) lineRun = run.number;
          const lineOk = !re || lineRun === run.number;
          if (lineOk && (await this.answers(urls, deadline)) && this.run === run) return;
        }
        if (this.clock.now() >= deadline) throw new Error(`${this.o.name}: not ready after ${timeoutMs} ms (waiting for ${what})${this.tail()}`);
        // a line, a spawn or an exit wakes the wait early; URLs are polled
        const left = Math.max(0, deadline - this.clock.now());
        await sleep(this.clock, urls.length > 0 ? Math.min(ready.intervalMs ?? 100, left) : left, AbortSignal.any([this.abort.signal, wake.signal]));
        if (wake.signal.aborted) wake = new AbortController();
      }
    } finally {
      unsubscribe();
      this.wakers.delete(wakeUp);
    }
  }

  /** Waits for a line of output matching `re` (lines the current run already printed count); resolves with it. */
  async waitForLine(re: RegExp, timeoutMs: number): Promise<string> {
    await this.waitUntilReady({ line: re, timeoutMs, intervalMs: 20 });
    const found = this.lines.lines(this.run?.firstLine ?? 0).find((l) => ((re.lastIndex = 0), re.test(l.text)));
    return found?.text ?? '';
  }

  private tail(): string {
    const text = this.lines.text();
    return text === '' ? '' : `\n--- ${this.o.name} output ---\n${text.slice(-4000)}`;
  }

  private async answers(urls: string[], deadline: number): Promise<boolean> {
    const fetchImpl = this.o.fetch ?? fetch;
    for (const url of urls) {
      const timeout = AbortSignal.timeout(Math.max(1, Math.min(2000, deadline - this.clock.now())));
      const res = await fetchImpl(url, { signal: AbortSignal.any([timeout, this.abort.signal]) }).catch(() => undefined);
      if (!res) return false;
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status > 299) return false;
    }
    return true;
  }

  private async doStart(): Promise<void> {
    await this.spawnRun();
    await this.waitUntilReady();
  }

  private async doStop(): Promise<void> {
    this.clearRestart();
    const run = this.run;
    if (run) await this.terminate(run);
  }

  /** SIGTERM, SIGKILL after the grace period; resolves when it exited. */
  private async terminate(run: Run): Promise<void> {
    run.child.kill('SIGTERM');
    const grace = this.clock.setTimeout(() => {
      this.killing = true;
      run.child.kill('SIGKILL');
    }, this.o.stopGraceMs ?? 5000);
    await run.exited;
    this.clock.clearTimeout(grace);
  }

  /** Spawns the child; resolves once it runs, rejects when it could not be started. */
  private spawnRun(): Promise<void> {
    const env: Record<string, string> = {};
    const merged = { ...(this.o.inheritEnv === false ? {} : process.env), ...this.o.env };
    for (const [k, v] of Object.entries(merged)) if (v !== undefined) env[k] = v;
    const input = this.o.stdin === undefined ? 'ignore' : 'pipe';
    const stdio: StdioOptions = this.o.ipc ? [input, 'pipe', 'pipe', 'ipc'] : [input, 'pipe', 'pipe'];
    const child = spawn(this.o.command, this.o.args ?? [], { cwd: this.o.cwd, env, stdio, detached: this.o.ownProcessGroup === true });
    this.runs += 1;
    this.killing = false;
    let settle: (e: ChildExit) => void = () => undefined;
    const exited = new Promise<ChildExit>((resolve) => (settle = resolve));
    const run: Run = { child, number: this.runs, startedAt: this.clock.now(), firstLine: this.lines.lastSeq, exited };
    this.run = run;
    for (const w of this.wakers) w();
    child.stdout?.on('data', (b: Buffer) => this.lines.push('stdout', b));
    child.stderr?.on('data', (b: Buffer) => this.lines.push('stderr', b));
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // it may exit before reading all of it
      child.stdin.end(this.o.stdin);
    }
    let done = false;
    const finish = (e: ChildExit): void => {
      if (done) return;
      done = true;
      this.ended(run, e);
      settle(e);
    };
    return new Promise<void>((resolve, reject) => {
      child.on('error', (err) => {
        if (child.pid !== undefined) {
          this.o.log?.warn('child process error', { child: this.o.name, err });
          return;
        }
        finish({ code: null, signal: null, killed: false, error: err.message });
        reject(new Error(`${this.o.name}: could not start ${this.o.command}: ${err.message}`));
      });
      child.on('close', (code, signal) => finish({ code, signal, killed: this.killing }));
      child.once('spawn', () => {
        process.on('exit', this.killOnExit);
        this.o.log?.info('child started', { child: this.o.name, pid: child.pid, run: run.number });
        if (child.pid !== undefined) this.o.onSpawn?.(child.pid, run.number);
        resolve();
      });
    });
  }

  private ended(run: Run, e: ChildExit): void {
    this.lines.flush();
    process.removeListener('exit', this.killOnExit);
    if (this.run === run) this.run = undefined;
    this.exit = e;
    let delay: number | undefined;
    if (this.restart && !this.stopping && !this.replacing) {
      const lived = this.clock.now() - run.startedAt;
      this.quickFailures = lived >= this.restart.resetAfterMs ? 1 : this.quickFailures + 1;
      delay = restartDelayMs(this.quickFailures, this.restart);
      this.restartTimer = this.clock.setTimeout(() => {
        this.clearRestart();
        if (!this.stopping) this.spawnRun().catch(() => undefined); // a failed spawn ends as a run: restarted again
      }, delay);
      // the clock's timers may not keep the process alive: hold it while a restart is due
      this.keepAlive = setInterval(() => undefined, 60_000);
    }
    const fields = { child: this.o.name, exit: describeExit(e), run: run.number };
    if (delay !== undefined) this.o.log?.warn('child exited; restarting', { ...fields, restart_in_ms: delay });
    else this.o.log?.info('child exited', fields);
    this.o.onExit?.(e, delay);
    for (const w of this.wakers) w();
  }

  private clearRestart(): void {
    if (this.restartTimer) this.clock.clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = undefined;
  }
}
