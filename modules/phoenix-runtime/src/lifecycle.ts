/**
 * The one lifecycle contract of every Phoenix component that holds resources (listeners, timers,
 * files, child processes): `start()` then `stop()`, both idempotent.
 * - `start()` twice: the second call returns the first call's promise;
 * - `stop()` without `start()`: releases what the constructor acquired (if anything) and resolves;
 * - `stop()` twice, or while starting: one stop, after the start has settled;
 * - `start()` after `stop()`: rejects (a stopped component is not restarted; make a new one).
 */
export interface Lifecycle {
  start(): Promise<void>;
  /** `reason` says why (a signal, a test), for components that record it. */
  stop(reason?: string): Promise<void>;
}

type State = 'new' | 'starting' | 'started' | 'stopping' | 'stopped';

/**
 * Makes a component's start and stop idempotent as {@link Lifecycle} says. `doStop` runs once, also
 * after a failed `doStart` and without any start, to release what was acquired: it must tolerate a
 * partial start or none.
 */
export class LifecycleGuard implements Lifecycle {
  private state: State = 'new';
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly doStart: () => Promise<void>,
    private readonly doStop: (reason: string) => Promise<void>,
  ) {}

  get current(): State {
    return this.state;
  }

  start(): Promise<void> {
    if (this.state === 'stopping' || this.state === 'stopped') return Promise.reject(new Error(`${this.name} is stopped; it cannot be started again`));
    if (!this.starting) {
      this.state = 'starting';
      this.starting = this.doStart().then(() => {
        if (this.state === 'starting') this.state = 'started';
      });
    }
    return this.starting;
  }

  stop(reason = 'stopped'): Promise<void> {
    if (this.stopping) return this.stopping;
    this.state = 'stopping';
    const started = this.starting ?? Promise.resolve();
    this.stopping = started
      .catch(() => undefined)
      .then(() => this.doStop(reason))
      .finally(() => {
        this.state = 'stopped';
      });
    return this.stopping;
  }
}

/**
 * Starts `component` and resolves with it; when its start fails, stops it (releasing what it acquired) and
 * rethrows the start's error.
 */
export async function startLifecycle<T extends Lifecycle>(component: T): Promise<T> {
  try {
    await component.start();
  } catch (err) {
    await component.stop('failed to start').catch(() => undefined);
    throw err;
  }
  return component;
}

/**
 * A component that follows {@link Lifecycle} through its own {@link LifecycleGuard}: subclasses
 * implement doStart() and doStop(reason) (which, as for the guard, must tolerate a partial start or
 * none) and inherit idempotent start() and stop().
 */
export abstract class GuardedLifecycle implements Lifecycle {
  private readonly guard: LifecycleGuard;

  /** `name` appears in the error of a start after stop. */
  constructor(name: string) {
    this.guard = new LifecycleGuard(
      name,
      () => this.doStart(),
      (reason) => this.doStop(reason),
    );
  }

  protected abstract doStart(): Promise<void>;
  protected abstract doStop(reason: string): Promise<void>;

  start(): Promise<void> {
    return this.guard.start();
  }

  stop(reason?: string): Promise<void> {
    return this.guard.stop(reason);
  }
}

/** Stops what was started, last first; each entry once, errors collected and rethrown together. */
export class StopStack {
  private readonly entries: Array<{ name: string; stop: () => Promise<void> | void }> = [];

  /** Registers `stop` to run at {@link stopAll}; returns `value` for chaining. */
  push<T>(name: string, stop: () => Promise<void> | void, value?: T): T | undefined {
    this.entries.push({ name, stop });
    return value;
  }

  async stopAll(): Promise<void> {
    const errors: string[] = [];
    while (this.entries.length > 0) {
      const e = this.entries.pop();
      if (!e) break;
      try {
        await e.stop();
      } catch (err) {
        errors.push(`${e.name}: ${(err as Error).message}`);
      }
    }
    if (errors.length > 0) throw new Error(`stop failed: ${errors.join('; ')}`);
  }
}
