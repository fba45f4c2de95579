import fs from 'node:fs';
import type { TaskSetControl } from '@phoenix/contracts';
import { writeFileAtomic, type Clock, type Logger, type TimerHandle } from '@phoenix/runtime';
import { failed, succeeded, type TaskOutcome } from '../tasks/types';
import type { ControlConfig } from './config';
import { ControlApi, ControlApiError } from './controlApi';
import { CoreControlFile, type ControlSetting } from './controlFile';

type Mode = NonNullable<TaskSetControl['mode']>;

/** An explicit setting in force on the control file, until it expires. */
interface FileOverride {
  mode?: Mode;
  profile?: Mode;
  k?: number;
  expiresAtMs: number;
  reason: string;
}

/** What the agent keeps in `<state dir>/control-state.json` for the control file it writes. */
interface FileState {
  /** the setting without the override: the allocation (target, mode) over what the file held */
  base: Omit<ControlSetting, 'source' | 'overrideExpiresAtMs'>;
  override?: FileOverride;
}

export interface ControlApplierDeps {
  cfg: ControlConfig;
  /** the phoenix-control to use (the managed one or the configured one); undefined: none */
  controlUrl: () => string | undefined;
  /** true when the agent runs that phoenix-control itself (then it must be used, never bypassed) */
  controlManaged: () => boolean;
  stateFile: string;
  clock: Clock;
  log: Logger;
}

const DEFAULT_TTL_SECONDS = 3600;

/**
 * Applies set_control. Through phoenix-control when one runs (the allocation with PUT /api/v1/target, an
 * explicit mode/k with the POST /api/v1/control override and its TTL); otherwise by writing the core's
 * control file itself, with the explicit setting reverted when its TTL runs out (kept across restarts).
 * When the API is unreachable nothing here changes: the last applied control stays in force.
 */
export class ControlApplier {
  private readonly file: CoreControlFile;
  private state: FileState | undefined;
  private expiry: TimerHandle | undefined;
  /** the last successful application, for diagnostics */
  lastApplied: { at: number; via: string; result: Record<string, unknown> } | undefined;

  constructor(private readonly d: ControlApplierDeps) {
    this.file = new CoreControlFile(d.cfg.file, d.clock, d.cfg.defaultTargetSeries);
  }

  /** Restores an explicit setting of an earlier run and its expiry. */
  start(): void {
    try {
      this.state = JSON.parse(fs.readFileSync(this.d.stateFile, 'utf8')) as FileState;
    } catch {
      this.state = undefined;
    }
    this.armExpiry();
  }

  stop(): void {
    if (this.expiry) this.d.clock.clearTimeout(this.expiry);
    this.expiry = undefined;
  }

  async apply(c: TaskSetControl, signal?: AbortSignal): Promise<TaskOutcome> {
    const url = this.d.controlUrl();
    if (url) {
      const api = new ControlApi(url.replace(/\/+$/, ''), this.d.cfg.token, this.d.cfg.requestTimeoutSeconds * 1000);
      if (await api.reachable(signal)) return this.throughControl(api, c, signal);
      if (this.d.controlManaged() || this.d.cfg.urlExplicit) return failed(`phoenix-control at ${url} does not answer; set_control waits for it`, true);
    }
    return this.throughFile(c);
  }

  private async throughControl(api: ControlApi, c: TaskSetControl, signal?: AbortSignal): Promise<TaskOutcome> {
    if (c.profile !== undefined) {
      return failed("set_control.profile: phoenix-control's override cannot pin a profile (its actuator picks it); send mode and/or topk_k", false);
    }
    const reason = c.reason ?? (c.source === 'operator' ? 'operator set_control' : 'fleet allocation');
    const done: Record<string, unknown> = { via: 'phoenix-control', url: api.url };
    try {
      if (c.target_series !== undefined || c.max_mode !== undefined) {
        const target = c.target_series ?? (await api.targetSeries(signal));
        const body = { target_series: target, source: c.source ?? 'fleet', reason, ...(c.max_mode ? { max_mode: c.max_mode } : {}) };
        await api.putTarget(body, signal);
        done.target = body;
      }
      if (c.mode !== undefined || c.topk_k !== undefined) {
        const body = { reason, ttl_seconds: c.ttl_seconds ?? DEFAULT_TTL_SECONDS, ...(c.mode ? { mode: c.mode } : {}), ...(c.topk_k ? { k: c.topk_k } : {}) };
        await api.override(body, signal);
        done.override = body;
      }
    } catch (err) {
      const partial = Object.keys(done).length > 2 ? ` (applied before the failure: ${JSON.stringify({ target: done.target })})` : '';
      return failed(`${(err as Error).message}${partial}`, err instanceof ControlApiError ? err.retryable : true);
    }
    this.lastApplied = { at: this.d.clock.now(), via: 'phoenix-control', result: done };
    this.d.log.info('set_control applied through phoenix-control', done);
    return succeeded(done);
  }

  private throughFile(c: TaskSetControl): TaskOutcome {
    const now = this.d.clock.now();
    const read = this.file.read();
    const doc = read.document;
    const active = this.activeOverride(now);
    // without an override in force the file is the base (whoever wrote it last); with one, the kept base
    const base: FileState['base'] =
      active && this.state
        ? { ...this.state.base }
        : { mode: doc.mode, profile: doc.profile, k: doc.topk.k, targetSeries: doc.target_series, reason: doc.reason ?? '' };
    const reason = c.reason ?? (c.source === 'operator' ? 'operator set_control' : 'fleet allocation');
    if (c.target_series !== undefined) base.targetSeries = c.target_series;
    if (c.max_mode !== undefined) base.mode = c.max_mode; // no host loop runs: the fleet's level is the mode
    if (c.target_series !== undefined || c.max_mode !== undefined) base.reason = reason;
    let override = active;
    if (c.mode !== undefined || c.profile !== undefined || c.topk_k !== undefined) {
      override = { mode: c.mode, profile: c.profile, k: c.topk_k, expiresAtMs: now + (c.ttl_seconds ?? DEFAULT_TTL_SECONDS) * 1000, reason };
    }
    const next: FileState = { base, ...(override ? { override } : {}) };
    let written: ReturnType<CoreControlFile['write']>;
    try {
      written = this.file.write(this.settingOf(next));
      writeFileAtomic(this.d.stateFile, JSON.stringify(next), { mode: 0o600 });
    } catch (err) {
      return failed(`could not write the control file ${this.file.path}: ${(err as Error).message}`, true);
    }
    this.state = next;
    this.armExpiry();
    const d = written.document;
    const result = {
      via: 'control_file',
      file: this.file.path,
      written: written.written,
      generation: d.generation,
      mode: d.mode,
      profile: d.profile,
      topk_k: d.topk.k,
      target_series: d.target_series,
      source: d.source ?? 'actuator',
      override_expires_at: d.override?.expires_at ?? null,
    };
    this.lastApplied = { at: now, via: 'control_file', result };
    this.d.log.info('set_control applied to the control file', result);
    return succeeded(result);
  }

  private settingOf(s: FileState): ControlSetting {
    const o = s.override;
    return {
      mode: o?.mode ?? s.base.mode,
      profile: o?.profile ?? s.base.profile,
      k: o?.k ?? s.base.k,
      targetSeries: s.base.targetSeries,
      source: o ? 'override' : 'actuator',
      reason: o ? o.reason : s.base.reason,
      overrideExpiresAtMs: o?.expiresAtMs,
    };
  }

  private activeOverride(now: number): FileOverride | undefined {
    const o = this.state?.override;
    return o && o.expiresAtMs > now ? o : undefined;
  }

  /** At the end of an explicit setting's TTL, the file goes back to the base (the allocation). */
  private armExpiry(): void {
    if (this.expiry) this.d.clock.clearTimeout(this.expiry);
    this.expiry = undefined;
    const o = this.state?.override;
    if (!o) return;
    this.expiry = this.d.clock.setTimeout(() => this.expire(), Math.max(0, o.expiresAtMs - this.d.clock.now()));
  }

  private async expire(): Promise<void> {
    this.expiry = undefined;
    const state = this.state;
    if (!state?.override) return;
    const next: FileState = { base: { ...state.base, reason: `override expired; ${state.base.reason}` } };
    try {
      const url = this.d.controlUrl();
      // a phoenix-control that started meanwhile owns the file now: only forget the override
      const controlRuns = url !== undefined && (await new ControlApi(url, this.d.cfg.token, this.d.cfg.requestTimeoutSeconds * 1000).reachable());
      const w = controlRuns ? undefined : this.file.write(this.settingOf(next));
      writeFileAtomic(this.d.stateFile, JSON.stringify(next), { mode: 0o600 });
      this.state = next;
      this.d.log.info('explicit control setting expired', w ? { generation: w.document.generation, mode: w.document.mode } : { control_file: 'left to phoenix-control' });
    } catch (err) {
      this.d.log.error('could not revert the expired control setting; retrying in 10 s', { err });
      this.expiry = this.d.clock.setTimeout(() => this.expire(), 10_000);
    }
  }
}
