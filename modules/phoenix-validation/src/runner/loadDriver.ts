import type { GeneratorsLoadSettings, LoadProfile } from '@phoenix/contracts';
import type { GeneratorsClient } from '../clients/generators';
import { loadPointAt, type LoadPoint } from '../catalog/schedule';

export interface LoadDriverOptions {
  profile: LoadProfile;
  timeScale: number;
  hostScale: number;
  seed: number;
  /** Least wall seconds between two load changes within a phase (a new phase is sent at once). */
  minUpdateSeconds: number;
}

/**
 * Drives a generators load profile at a time scale through PUT /api/v1/load (the generators' scenario start
 * cannot scale a profile's time or fleet): a fresh fleet at the start (stop, then the full settings with the
 * profile's seed and its export interval x time_scale), then the load of each moment of scenario time.
 */
export class LoadDriver {
  private last: { hosts: number; processes: number; churn: number; phaseIndex: number } | undefined;
  private lastSentAt = -Infinity;
  private point: LoadPoint | undefined;

  constructor(
    private readonly opts: LoadDriverOptions,
    private readonly generators: GeneratorsClient,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Wall seconds between two exports. */
  get exportIntervalSeconds(): number {
    return this.opts.profile.export_interval_seconds * this.opts.timeScale;
  }

  /** The load point last driven. */
  current(): LoadPoint | undefined {
    return this.point;
  }

  /** The settings of a load point (what PUT /api/v1/load receives). */
  settings(point: LoadPoint, full: boolean): GeneratorsLoadSettings {
    const s: GeneratorsLoadSettings = { hosts: point.hosts, processes_per_host: point.processesPerHost, churn_rate: point.churnRate };
    if (full) {
      s.export_interval_seconds = Math.round(this.exportIntervalSeconds * 1000) / 1000;
      s.seed = this.opts.seed;
    }
    return s;
  }

  /** Stops whatever the generator runs and starts the profile's first moment with a fresh fleet. */
  async start(signal?: AbortSignal): Promise<LoadPoint> {
    await this.generators.stop(signal);
    const p = loadPointAt(this.opts.profile, 0, this.opts.hostScale);
    await this.generators.setLoad(this.settings(p, true), signal);
    this.remember(p);
    return p;
  }

  /** Sends the load of scenario second `t` when it changed (at once on a new phase, else at most every minUpdateSeconds). */
  async update(t: number, signal?: AbortSignal): Promise<LoadPoint> {
    const p = loadPointAt(this.opts.profile, t, this.opts.hostScale);
    const l = this.last;
    const changed = !l || l.hosts !== p.hosts || l.processes !== p.processesPerHost || l.churn !== p.churnRate;
    const newPhase = !l || l.phaseIndex !== p.phaseIndex;
    if (changed && (newPhase || this.now() - this.lastSentAt >= this.opts.minUpdateSeconds * 1000)) {
      await this.generators.setLoad(this.settings(p, false), signal);
      this.remember(p);
    } else if (newPhase && l) {
      l.phaseIndex = p.phaseIndex;
    }
    this.point = p;
    return p;
  }

  async stop(signal?: AbortSignal): Promise<void> {
    await this.generators.stop(signal);
  }

  private remember(p: LoadPoint): void {
    this.last = { hosts: p.hosts, processes: p.processesPerHost, churn: p.churnRate, phaseIndex: p.phaseIndex };
    this.lastSentAt = this.now();
    this.point = p;
  }
}
