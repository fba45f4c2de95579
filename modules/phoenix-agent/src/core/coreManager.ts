import fs from 'node:fs';
import path from 'node:path';
import type { ProcessUsage } from '@phoenix/contracts';
import { sleep, type Clock, type Logger, type TimerHandle } from '@phoenix/runtime';
import type { ControlConfig } from '../control/config';
import { httpRequest } from '../net/httpRequest';
import { superviseChild, type ChildStatus, type SupervisedChild, type SupervisorOptions, type ChildSpec } from './childProcess';
import type { CoreConfig } from './config';

export interface CoreManagerDeps {
  core: CoreConfig;
  control: ControlConfig;
  /** the environment managed children start with (the agent's own) */
  baseEnv: Record<string, string | undefined>;
  clock: Clock;
  log: Logger;
  /** each output line of a managed child */
  onChildLine: (source: 'core' | 'control', line: string) => void;
  /** replaces the supervisor (the lead swaps in @phoenix/runtime's) */
  supervise?: (spec: ChildSpec, o: SupervisorOptions) => SupervisedChild;
}

/** How the agent sees the core (and a managed control), for the heartbeat, /health and diagnostics. */
export interface CoreSnapshot {
  managed: boolean;
  url: string;
  healthUrl: string;
  healthy: boolean | undefined;
  lastHealthAt: number | undefined;
  healthError: string | undefined;
  core: ChildStatus | undefined;
  control: (ChildStatus & { url: string; healthy: boolean | undefined }) | undefined;
}

/** The launch flags phoenix-core documents for its launchers (its dist/nodeFlags.js), when it has them. */
function coreNodeFlags(main: string): string[] {
  const file = path.join(path.dirname(main), 'nodeFlags.js');
  if (!fs.existsSync(file)) return [];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the core's launch flags, read as scripts/start.js does
    const flags = (require(file) as { CORE_NODE_FLAGS?: unknown }).CORE_NODE_FLAGS;
    return Array.isArray(flags) ? flags.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The host's phoenix-core: in managed mode started and supervised as a child process (restarted with
 * backoff, 0.5 s doubling to 30 s), with a phoenix-control for it unless told otherwise; in unmanaged mode
 * only watched. Either way its health endpoint is probed.
 */
export class CoreManager {
  private coreChild: SupervisedChild | undefined;
  private controlChild: SupervisedChild | undefined;
  private healthy: boolean | undefined;
  private controlHealthy: boolean | undefined;
  private lastHealthAt: number | undefined;
  private healthError: string | undefined;
  private probeTimer: TimerHandle | undefined;
  private stopped = false;
  /** the core's own RSS and CPU, as its observatory reported them last */
  usage: { rss_bytes: number; cpu_seconds_total: number } | undefined;

  constructor(private readonly d: CoreManagerDeps) {}

  get managed(): boolean {
    return this.d.core.manage;
  }

  /** The phoenix-control set_control goes through: the managed one, or the configured one (probed). */
  controlUrl(): string | undefined {
    return this.d.control.url;
  }

  /** Whether phoenix-control is the agent's own child. */
  get managesControl(): boolean {
    return this.controlChild !== undefined;
  }

  async start(): Promise<void> {
    const { core, control } = this.d;
    const supervise = this.d.supervise ?? superviseChild;
    const opts = (name: string): SupervisorOptions => ({
      clock: this.d.clock,
      log: this.d.log.child({ child: name }),
      restartMinMs: core.restartMinSeconds * 1000,
      restartMaxMs: core.restartMaxSeconds * 1000,
      stableMs: Math.max(10_000, core.restartMaxSeconds * 1000),
      stopGraceMs: core.stopGraceSeconds * 1000,
    });
    if (core.manage) {
      const env = { ...this.d.baseEnv, PHOENIX_CONTROL_FILE: control.file };
      this.coreChild = supervise(
        { name: 'phoenix-core', args: [...coreNodeFlags(core.main), core.main], env, onLine: (l) => this.d.onChildLine('core', l) },
        opts('phoenix-core'),
      );
      await this.coreChild.start();
      if (control.manage && control.url) {
        const port = new URL(control.url).port || '80';
        this.controlChild = supervise(
          {
            name: 'phoenix-control',
            args: [control.main],
            env: { ...env, PHOENIX_CORE_URL: core.url, PHOENIX_CONTROL_API_PORT: port },
            onLine: (l) => this.d.onChildLine('control', l),
          },
          opts('phoenix-control'),
        );
        await this.controlChild.start();
      }
    }
    this.scheduleProbe(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.probeTimer) this.d.clock.clearTimeout(this.probeTimer);
    await this.controlChild?.stop();
    await this.coreChild?.stop();
  }

  /** Restarts a managed core (restart_core); throws when the core is not the agent's. */
  async restartCore(reason: string): Promise<void> {
    if (!this.coreChild) throw new Error('the core is not managed by this agent');
    this.healthy = false;
    await this.coreChild.restart(reason);
  }

  /** Probes until the core answers healthy; false after `timeoutMs` or when aborted. */
  async waitHealthy(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const end = this.d.clock.now() + timeoutMs;
    while (!signal?.aborted && this.d.clock.now() < end) {
      if (await this.probeCore()) return true;
      await sleep(this.d.clock, 200);
    }
    return false;
  }

  /** The core in the heartbeat's resource_usage. */
  processUsage(): ProcessUsage | undefined {
    const s = this.coreChild?.status();
    if (!this.usage && !s) return undefined;
    const u: ProcessUsage = { rss_bytes: this.usage?.rss_bytes ?? 0, cpu_seconds_total: this.usage?.cpu_seconds_total ?? 0 };
    if (s) {
      if (s.pid !== undefined) u.pid = s.pid;
      u.status = s.state;
      u.restarts = s.restarts;
    } else u.status = 'unmanaged';
    return u;
  }

  snapshot(): CoreSnapshot {
    const c = this.controlChild?.status();
    return {
      managed: this.managed,
      url: this.d.core.url,
      healthUrl: this.d.core.healthUrl,
      healthy: this.healthy,
      lastHealthAt: this.lastHealthAt,
      healthError: this.healthError,
      core: this.coreChild?.status(),
      control: c && this.d.control.url ? { ...c, url: this.d.control.url, healthy: this.controlHealthy } : undefined,
    };
  }

  /** GET the core's health: true on 200. */
  async probeCore(): Promise<boolean> {
    try {
      const res = await httpRequest(this.d.core.healthUrl, { timeoutMs: this.d.core.scrapeTimeoutSeconds * 1000 });
      this.healthy = res.status === 200;
      this.healthError = this.healthy ? undefined : `HTTP ${res.status}`;
    } catch (err) {
      this.healthy = false;
      this.healthError = (err as Error).message;
    }
    this.lastHealthAt = this.d.clock.now();
    return this.healthy;
  }

  private scheduleProbe(ms: number): void {
    if (this.stopped) return;
    this.probeTimer = this.d.clock.setTimeout(async () => {
      const was = this.healthy;
      await this.probeCore();
      if (this.controlChild && this.d.control.url) {
        const r = await httpRequest(`${this.d.control.url}/health`, { timeoutMs: this.d.core.scrapeTimeoutSeconds * 1000 }).catch(() => undefined);
        this.controlHealthy = r?.status === 200;
      }
      if (was !== this.healthy && was !== undefined) {
        if (this.healthy) this.d.log.info('phoenix-core is healthy again', { health_url: this.d.core.healthUrl });
        else this.d.log.warn('phoenix-core is not healthy', { health_url: this.d.core.healthUrl, error: this.healthError });
      }
      this.scheduleProbe(this.d.core.healthIntervalSeconds * 1000);
    }, ms);
  }
}
