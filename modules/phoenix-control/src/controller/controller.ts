import type { Registry } from 'prom-client';
import { Actuator, type Allocation, type Decision, type OverrideSpec } from '../actuator/actuator';
import type { Setting } from '../actuator/options';
import type { ActuatorConfig } from '../actuator/config';
import { type Clock, iso, type Logger } from '@phoenix/runtime';
import type { ControlHealth, ControlOverrideRequest, ControlStatus, ControlTargetRequest, Mode } from '@phoenix/contracts';
import type { ControlFileWriter } from '../controlFileWriter/writer';
import type { HistoryStore, NewHistoryEntry } from '../history/store';
import type { KpiSource } from '../observer/observer';
import type { ControllerConfig } from './config';
import { ControlMetrics } from './metrics';

export interface ControllerDeps {
  config: ControllerConfig;
  actuator: ActuatorConfig;
  clock: Clock;
  log: Logger;
  kpis: KpiSource;
  writer: ControlFileWriter;
  history?: HistoryStore;
  registry: Registry;
}

function strip<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * The control loop: every interval, KPIs (observer) -> decision (actuator) -> control file (writer) -> history.
 * Holds the manual override and expires it by itself. Every public method is safe to call from the API:
 * failures are logged and reported in the status, never thrown.
 */
export class Controller {
  private actuator!: Actuator;
  private override: OverrideSpec | undefined;
  private timer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private readonly startedAtMs: number;
  private lastError: number | undefined;
  private holding = false;
  private lastWriteError: string | undefined;
  private metrics!: ControlMetrics;
  private readonly log: Logger;
  private allocationInfo: { source: 'config' | 'fleet' | 'operator'; reason?: string; updatedAt?: string } = { source: 'config' };

  constructor(private readonly deps: ControllerDeps) {
    this.startedAtMs = deps.clock.now();
    this.log = deps.log;
  }

  /** Resumes from the existing control file (and the history for an override in force), then takes a first decision. */
  init(): void {
    const { writer, clock, history } = this.deps;
    const r = writer.resume();
    let initial: { setting?: Setting; lastChangeAtMs?: number; lastTransitionAtMs?: number; allocation?: Allocation } | undefined;
    if (r.ok) {
      const doc = r.document;
      const updated = doc.updated_at ? Date.parse(doc.updated_at) : NaN;
      initial = {
        setting: { mode: doc.mode, profile: doc.profile, k: doc.topk.k, targetSeries: doc.target_series },
        lastChangeAtMs: Number.isFinite(updated) ? updated : undefined,
        // The dwell resumes from the actuator's last write (an override's write does not start it).
        lastTransitionAtMs: Number.isFinite(updated) && doc.source !== 'override' ? updated : undefined,
      };
      const expires = doc.override?.expires_at ? Date.parse(doc.override.expires_at) : NaN;
      if (doc.source === 'override' && Number.isFinite(expires) && expires > clock.now()) {
        const open = history?.openOverride();
        const fromHistory = open && open.expires_at === doc.override?.expires_at;
        this.override = {
          mode: fromHistory ? open.override_mode : doc.mode,
          targetSeries: fromHistory ? open.override_target_series : doc.target_series,
          k: fromHistory ? open.override_k : doc.topk.k,
          reason: fromHistory ? open.reason : (doc.reason ?? 'resumed override'),
          setAtMs: fromHistory ? Date.parse(open.at) : Number.isFinite(updated) ? updated : clock.now(),
          expiresAtMs: expires,
        };
      }
      this.log.info('resumed from the control file', {
        path: writer.path,
        generation: doc.generation,
        mode: doc.mode,
        profile: doc.profile,
        k: doc.topk.k,
        override_until: this.override ? iso(this.override.expiresAtMs) : undefined,
      });
    } else if (r.reason === 'missing') {
      this.log.info('no control file yet: starting from the least lossy mode', { path: writer.path });
    } else {
      this.log.warn('existing control file rejected: starting from the least lossy mode', {
        path: writer.path,
        reason: r.reason,
        errors: r.errors,
        continuing_generation: writer.generation(),
      });
    }
    const allocation = this.loadAllocation();
    if (allocation) initial = { ...initial, allocation };
    this.actuator = new Actuator(this.deps.actuator, clock, initial);
    this.metrics = new ControlMetrics(this.deps.registry, {
      setting: () => this.actuator.current(),
      generation: () => writer.generation(),
      error: () => (this.holding ? undefined : this.lastError),
      pid: () => this.actuator.pidTerms(),
      margin: () => this.actuator.margin(),
      dwellRemaining: () => this.actuator.dwellRemainingSeconds(),
      stability: () => this.actuator.stabilityScore(),
      holding: () => this.holding,
      override: () => this.activeOverride(),
      historyFailures: () => history?.failureCount() ?? 0,
    });
    this.scheduleExpiry();
    this.tick();
  }

  /** Starts the periodic loop (init() must have run). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.deps.config.intervalSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.timer = undefined;
    this.expiryTimer = undefined;
  }

  activeOverride(): OverrideSpec | undefined {
    return this.override && this.override.expiresAtMs > this.deps.clock.now() ? this.override : undefined;
  }

  /** One control step. Never throws. */
  tick(): Decision | undefined {
    try {
      this.expireIfDue();
      return this.decide();
    } catch (err) {
      this.log.error('control step failed', { err });
      return undefined;
    }
  }

  /** Applies a validated override request now (the dwell does not hold an operator back). */
  setOverride(req: ControlOverrideRequest): Decision | undefined {
    const now = this.deps.clock.now();
    this.override = strip({
      mode: req.mode,
      targetSeries: req.target_series,
      k: req.k,
      reason: req.reason,
      setAtMs: now,
      expiresAtMs: now + req.ttl_seconds * 1000,
    });
    this.metrics.overrides.inc({ event: 'set' });
    this.log.info('override set', { mode: req.mode, target_series: req.target_series, k: req.k, reason: req.reason, ttl_seconds: req.ttl_seconds });
    this.scheduleExpiry();
    return this.decide('override_set');
  }

  /**
   * Sets the host's allocation (a validated PUT /api/v1/target): the target and most lossy mode the loop
   * works inside while no override holds. Kept across restarts; no TTL.
   */
  setTarget(req: ControlTargetRequest): Decision | undefined {
    const allocation: Allocation = { targetSeries: req.target_series, maxMode: req.max_mode ?? 'aggressive' };
    const at = iso(this.deps.clock.now());
    const source = req.source ?? 'operator';
    this.deps.history?.saveSetting('allocation', { ...allocation, source, reason: req.reason }, at);
    this.actuator.setAllocation(allocation);
    this.allocationInfo = strip({ source, reason: req.reason, updatedAt: at });
    this.log.info('allocation set', { target_series: allocation.targetSeries, max_mode: allocation.maxMode, source, reason: req.reason });
    return this.decide('target_set');
  }

  private loadAllocation(): Allocation | undefined {
    const saved = this.deps.history?.loadSetting('allocation') as
      | { targetSeries?: unknown; maxMode?: unknown; source?: unknown; reason?: unknown }
      | undefined;
    if (!saved || typeof saved.targetSeries !== 'number' || !Number.isInteger(saved.targetSeries) || saved.targetSeries < 1) return undefined;
    const maxMode = saved.maxMode === 'conservative' || saved.maxMode === 'balanced' ? saved.maxMode : 'aggressive';
    this.allocationInfo = strip({
      source: saved.source === 'fleet' ? 'fleet' : 'operator',
      reason: typeof saved.reason === 'string' ? saved.reason : undefined,
    });
    this.log.info('resumed the allocation', { target_series: saved.targetSeries, max_mode: maxMode, source: this.allocationInfo.source });
    return { targetSeries: saved.targetSeries, maxMode };
  }

  /** Clears the override; false when there was none. */
  clearOverride(): boolean {
    if (!this.activeOverride()) {
      this.override = undefined;
      return false;
    }
    this.override = undefined;
    this.metrics.overrides.inc({ event: 'cleared' });
    this.log.info('override cleared');
    this.scheduleExpiry();
    this.decide('override_cleared');
    return true;
  }

  private expireIfDue(): void {
    if (this.override && this.override.expiresAtMs <= this.deps.clock.now()) {
      this.log.info('override expired', { reason: this.override.reason, expired_at: iso(this.override.expiresAtMs) });
      this.override = undefined;
      this.metrics.overrides.inc({ event: 'expired' });
      this.decide('override_expired');
    }
  }

  private scheduleExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    if (!this.override) return;
    const wait = Math.max(0, this.override.expiresAtMs - this.deps.clock.now());
    // setTimeout is limited to ~24.8 days; the periodic tick catches anything later.
    if (wait < 2 ** 31 - 1) {
      this.expiryTimer = setTimeout(() => this.tick(), wait + 5);
      this.expiryTimer.unref();
    }
  }

  private decide(event?: 'override_set' | 'override_cleared' | 'override_expired' | 'target_set'): Decision {
    const { writer, history } = this.deps;
    const reading = this.deps.kpis.current();
    const ov = this.activeOverride();
    const d = this.actuator.step({ reading, override: ov, writtenGeneration: writer.generation() });
    if (d.error !== undefined) this.lastError = d.error;
    this.metrics.decisions.inc({ action: d.action });
    if (d.transition) this.metrics.transitions.inc({ from: d.previous.mode, to: d.setting.mode });

    const wasHolding = this.holding;
    this.holding = d.holdReason !== undefined;
    if (this.holding) {
      const reason = d.holdReason!.startsWith('KPIs stale') ? 'stale' : d.holdReason!.startsWith('KPIs incomplete') ? 'incomplete' : 'absent';
      this.metrics.holds.inc({ reason });
      if (!wasHolding) this.log.warn('holding the last decision', { reason: d.holdReason, mode: d.setting.mode, k: d.setting.k });
    } else if (wasHolding) {
      this.log.info('KPIs fresh again: the actuator acts');
    }

    const req = { setting: d.setting, source: d.source, reason: d.reason, overrideExpiresAtMs: ov?.expiresAtMs };
    let generation: number | undefined;
    if (writer.needsWrite(req)) {
      const res = writer.write(req);
      if (res.ok) {
        this.metrics.writes.inc({ result: 'success' });
        this.lastWriteError = undefined;
        generation = res.generation;
      } else {
        this.metrics.writes.inc({ result: 'failure' });
        this.lastWriteError = res.error;
      }
    }
    if (d.transition) {
      this.log.info('transition', { from: d.previous.mode, from_profile: d.previous.profile, to: d.setting.mode, profile: d.setting.profile, k: d.setting.k, reason: d.reason });
    }
    const kind: NewHistoryEntry['kind'] | undefined = event ?? (d.transition ? 'transition' : d.changed ? 'adjustment' : undefined);
    if (history && kind) {
      history.record(
        strip({
          at: iso(d.atMs),
          kind,
          generation,
          from_mode: d.previous.mode,
          from_profile: d.previous.profile,
          from_k: d.previous.k,
          to_mode: d.setting.mode,
          to_profile: d.setting.profile,
          to_k: d.setting.k,
          target_series: d.setting.targetSeries,
          source: d.source,
          reason: event === 'override_set' && ov ? ov.reason : event === 'target_set' ? `allocation: target ${d.setting.targetSeries}${this.allocationInfo.reason ? ` (${this.allocationInfo.reason})` : ''}; ${d.reason}` : d.reason,
          error: d.error,
          override_mode: event === 'override_set' ? ov?.mode : undefined,
          override_target_series: event === 'override_set' ? ov?.targetSeries : undefined,
          override_k: event === 'override_set' ? ov?.k : undefined,
          expires_at: event === 'override_set' && ov ? iso(ov.expiresAtMs) : undefined,
        }),
      );
    }
    return d;
  }

  /** Applies an override that is due before answering, so a read never shows a half-expired override. */
  private settle(): void {
    try {
      this.expireIfDue();
    } catch (err) {
      this.log.error('override expiry failed', { err });
    }
  }

  status(): ControlStatus {
    this.settle();
    const s = this.actuator.current();
    const d = this.actuator.last();
    const t = this.actuator.pidTerms();
    const reading = this.deps.kpis.current();
    const ov = this.activeOverride();
    const doc = this.deps.writer.lastDocument();
    const now = this.deps.clock.now();
    return strip({
      mode: s.mode,
      profile: s.profile,
      k: s.k,
      target_series: s.targetSeries,
      configured_target_series: this.deps.actuator.targetSeries,
      source: ov ? 'override' : 'actuator',
      generation: this.deps.writer.generation(),
      updated_at: doc?.updated_at,
      reason: (this.lastWriteError ? `control file not written: ${this.lastWriteError}; ` : '') + (d?.reason ?? doc?.reason ?? 'no decision yet'),
      last_decision: d
        ? strip({
            at: iso(d.atMs),
            action: d.action,
            reason: d.reason,
            predicted_series: d.predictedSeries,
            budget_series: d.budgetSeries,
          })
        : undefined,
      holding: this.holding,
      hold_reason: d?.holdReason,
      pid: strip({
        error: this.holding ? undefined : this.lastError,
        p: t.p,
        i: t.i,
        d: t.d,
        output: t.output,
        integral: t.integral,
        margin: this.actuator.margin(),
      }),
      kpis: reading?.kpis,
      kpis_fresh: Boolean(reading),
      override: ov
        ? strip({
            mode: ov.mode as Mode | undefined,
            target_series: ov.targetSeries,
            k: ov.k,
            reason: ov.reason,
            set_at: iso(ov.setAtMs),
            expires_at: iso(ov.expiresAtMs),
            expires_in_seconds: Math.max(0, (ov.expiresAtMs - now) / 1000),
          })
        : undefined,
      allocation: (() => {
        const a = this.actuator.currentAllocation();
        return strip({
          target_series: a.targetSeries,
          max_mode: a.maxMode,
          source: this.allocationInfo.source,
          reason: this.allocationInfo.reason,
          updated_at: this.allocationInfo.updatedAt,
        });
      })(),
      dwell_remaining_seconds: this.actuator.dwellRemainingSeconds(),
      transitions_total: this.actuator.totalTransitions(),
      stability_score: this.actuator.stabilityScore(),
    });
  }

  health(): ControlHealth {
    this.settle();
    const fresh = Boolean(this.deps.kpis.current());
    return {
      status: fresh && !this.lastWriteError && this.deps.writer.generation() > 0 ? 'ok' : 'degraded',
      kpis_fresh: fresh,
      generation: this.deps.writer.generation(),
      mode: this.actuator.current().mode,
      uptime_seconds: Math.max(0, (this.deps.clock.now() - this.startedAtMs) / 1000),
    };
  }
}
