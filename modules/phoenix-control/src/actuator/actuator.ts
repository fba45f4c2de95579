import type { Clock } from '@phoenix/runtime';
import type { ControlKpis, Mode } from '@phoenix/contracts';
import type { ActuatorConfig } from './config';
import { AGGRESSIVE, describeSetting, OPTIONS, optionIndex, pipelineOfMode, predict, PROFILES, sameSetting, type OptionName, type Predictions, type Setting } from './options';
import { Pid, type PidTerms } from './pid';

/** KPIs with the time they were observed. */
export interface KpiReading {
  kpis: ControlKpis;
  observedAtMs: number;
}

/** A manual override: any of mode, target, k pinned until expiresAtMs. */
export interface OverrideSpec {
  mode?: Mode;
  targetSeries?: number;
  k?: number;
  reason: string;
  setAtMs: number;
  expiresAtMs: number;
}

export type DecisionAction = 'transition' | 'adjust' | 'keep' | 'hold' | 'override';

export interface Decision {
  atMs: number;
  previous: Setting;
  setting: Setting;
  source: 'actuator' | 'override';
  action: DecisionAction;
  /** Mode or profile changed. */
  transition: boolean;
  /** Anything in the setting changed (mode, profile, k, target). */
  changed: boolean;
  reason: string;
  /** Why the actuator is holding (KPIs absent or stale); undefined when it acted on fresh KPIs. */
  holdReason?: string;
  predictedSeries?: number;
  budgetSeries?: number;
  /** (active - target) / target at the reading used. */
  error?: number;
  option: OptionName;
}

const fmt = (n: number): string => (Number.isFinite(n) ? String(Math.round(n)) : 'unknown');
const fmt3 = (n: number): string => n.toFixed(3);

/** The host's allocation: the budget and the most lossy mode the actuator may choose (no override). */
export interface Allocation {
  targetSeries: number;
  maxMode: Mode;
}

/**
 * The decision logic of phoenix-control: pure apart from its own state, time from the injected clock,
 * no I/O, never throws on any KPI content.
 *
 * Every step:
 *  1. KPIs absent or older than maxKpiAgeSeconds: hold the last decision (an override still applies).
 *  2. PID on the normalised error e = (active - target) / target, regulated to -headroom (i.e. the active
 *     output to target x (1 - headroom)); updated only with a reading taken after the setting in force was
 *     decided (and, when the core reports it, with our generation in force); reset on every transition.
 *  3. Predicted series of every option from the KPIs; the least lossy option whose prediction fits the budget
 *     target x (1 - headroom) is chosen; going back to a less lossy option needs the prediction to fit with
 *     `hysteresis` extra room; nothing fits -> aggressive with k chosen for the budget.
 *  4. In aggressive, k = the largest k whose predicted top-k series (streams x (k + 2), calibrated by the
 *     top-k output measured at the k in force) fit the budget trimmed by the PID output: budget x (1 - output).
 *     The model is approximate (hosts with fewer processes than k, histograms); the PID closes the gap from the
 *     measured active series. Staying in aggressive, k only moves in the direction the error asks and by more
 *     than the deadband.
 *  5. A mode/profile transition needs dwellSeconds since the previous transition of the actuator (an override
 *     is not held back, and its own transitions do not start the dwell).
 */
export class Actuator {
  private setting: Setting;
  private readonly pid: Pid;
  private lastTransitionAtMs = -Infinity;
  private lastChangeAtMs = -Infinity;
  private lastReadingAtMs = -Infinity;
  private transitionTimes: number[] = [];
  private transitionsTotal = 0;
  private overrideActive = false;
  private lastDecision: Decision | undefined;
  private allocation: Allocation;

  constructor(
    private readonly cfg: ActuatorConfig,
    private readonly clock: Clock,
    initial?: { setting?: Setting; lastChangeAtMs?: number; lastTransitionAtMs?: number; allocation?: Allocation },
  ) {
    this.pid = new Pid(cfg.pid, cfg.intervalSeconds);
    this.setting = initial?.setting ?? {
      mode: 'conservative',
      profile: 'balanced',
      k: cfg.topk.initialK,
      targetSeries: initial?.allocation?.targetSeries ?? cfg.targetSeries,
    };
    this.allocation = initial?.allocation ?? { targetSeries: cfg.targetSeries, maxMode: 'aggressive' };
    if (initial?.lastChangeAtMs !== undefined && Number.isFinite(initial.lastChangeAtMs)) this.lastChangeAtMs = initial.lastChangeAtMs;
    if (initial?.lastTransitionAtMs !== undefined && Number.isFinite(initial.lastTransitionAtMs)) {
      this.lastTransitionAtMs = initial.lastTransitionAtMs;
    }
  }

  current(): Setting {
    return { ...this.setting };
  }

  /** The target (and most lossy mode) the loop works inside while no override holds. */
  currentAllocation(): Allocation {
    return { ...this.allocation };
  }

  /** Sets the allocation; the next step works inside it. */
  setAllocation(a: Allocation): void {
    this.allocation = { ...a };
  }

  pidTerms(): PidTerms {
    return this.pid.terms();
  }

  /** The margin the top-k budget is made with: headroom + PID output. */
  margin(): number {
    return this.cfg.headroom + this.pid.terms().output;
  }

  last(): Decision | undefined {
    return this.lastDecision;
  }

  totalTransitions(): number {
    return this.transitionsTotal;
  }

  dwellRemainingSeconds(): number {
    const left = (this.lastTransitionAtMs + this.cfg.dwellSeconds * 1000 - this.clock.now()) / 1000;
    return Number.isFinite(left) ? Math.max(0, left) : 0;
  }

  /** 1 - transitions in the window / the most the dwell time allows in it. */
  stabilityScore(): number {
    const now = this.clock.now();
    const windowMs = this.cfg.stabilityWindowSeconds * 1000;
    this.transitionTimes = this.transitionTimes.filter((t) => now - t <= windowMs);
    const most = Math.max(1, this.cfg.stabilityWindowSeconds / Math.max(this.cfg.dwellSeconds, this.cfg.intervalSeconds));
    return Math.max(0, Math.min(1, 1 - this.transitionTimes.length / most));
  }

  /** Largest k whose predicted top-k series fit `budget`, within [minK, maxK]. */
  kForBudget(pred: Predictions, budget: number): number {
    const { minK, maxK } = this.cfg.topk;
    const streams = pred.streams;
    if (streams === undefined || !(streams > 0)) return maxK;
    const k = Math.floor((budget - pred.offset) / streams) - 2;
    return Math.max(minK, Math.min(maxK, Number.isFinite(k) ? k : maxK));
  }

  /** Predicted top-k series at k: streams x (k + 2), calibrated by the measurement at the k in force. */
  topkSeries(pred: Predictions, k: number): number {
    if (pred.streams === undefined) return Infinity;
    return Math.min(pred.full, Math.max(0, pred.streams * (k + 2) + pred.offset));
  }

  /** One control step. Never throws. */
  step(input: { reading?: KpiReading; override?: OverrideSpec; writtenGeneration?: number }): Decision {
    try {
      return this.stepUnsafe(input);
    } catch (err) {
      // Defensive: hold on any unexpected failure rather than break the loop.
      return this.finish({
        atMs: this.clock.now(),
        previous: this.current(),
        setting: this.current(),
        source: this.overrideActive ? 'override' : 'actuator',
        action: 'hold',
        transition: false,
        changed: false,
        reason: `holding ${describeSetting(this.setting)}: internal error (${(err as Error).message})`,
        holdReason: 'internal error',
        option: OPTIONS[optionIndex(this.setting)],
      });
    }
  }

  private stepUnsafe(input: { reading?: KpiReading; override?: OverrideSpec; writtenGeneration?: number }): Decision {
    const now = this.clock.now();
    const ov = input.override && input.override.expiresAtMs > now ? input.override : undefined;
    const prev = this.current();
    const T = ov?.targetSeries ?? this.allocation.targetSeries;
    if (Boolean(ov) !== this.overrideActive || T !== prev.targetSeries) this.pid.reset();
    this.overrideActive = Boolean(ov);
    const source = ov ? 'override' : 'actuator';
    const ovNote = ov ? `; override "${ov.reason}" until ${new Date(ov.expiresAtMs).toISOString()}` : '';

    // 1. Fresh KPIs?
    const reading = input.reading;
    let stale: string | undefined;
    if (!reading) stale = 'KPIs absent';
    else if (reading.kpis.series.full_fidelity === undefined) stale = 'KPIs incomplete (no full_fidelity series)';
    else {
      const age = (now - reading.observedAtMs) / 1000;
      if (age > this.cfg.maxKpiAgeSeconds) stale = `KPIs stale (age ${age.toFixed(0)}s > ${this.cfg.maxKpiAgeSeconds}s)`;
    }
    if (stale !== undefined || !reading) {
      const holdReason = stale ?? 'KPIs absent';
      const setting: Setting = {
        mode: ov?.mode ?? prev.mode,
        profile: prev.profile,
        k: ov?.k ?? prev.k,
        targetSeries: T,
      };
      const transition = optionIndex(setting) !== optionIndex(prev);
      const changed = !sameSetting(setting, prev);
      const action: DecisionAction = ov && changed ? 'override' : 'hold';
      return this.finish({
        atMs: now,
        previous: prev,
        setting,
        source,
        action,
        transition,
        changed,
        reason: `holding ${describeSetting(setting)}: ${holdReason}${ovNote}`,
        holdReason,
        option: OPTIONS[optionIndex(setting)],
      });
    }

    // 2. PID.
    const kpis = reading.kpis;
    const activePipeline = kpis.active_pipeline ?? pipelineOfMode(prev.mode);
    const active = kpis.active_series ?? kpis.series[activePipeline] ?? kpis.series[pipelineOfMode(prev.mode)];
    const error = active === undefined ? undefined : (active - T) / T;
    const newReading = reading.observedAtMs > this.lastReadingAtMs;
    const inForce = kpis.in_force?.generation;
    const generationOk = inForce === undefined || input.writtenGeneration === undefined || inForce === input.writtenGeneration;
    const pipelineOk = kpis.active_pipeline === undefined || kpis.active_pipeline === pipelineOfMode(prev.mode);
    const applied = newReading && reading.observedAtMs > this.lastChangeAtMs && generationOk && pipelineOk;
    if (applied && error !== undefined && active !== undefined) {
      this.pid.update(error + this.cfg.headroom, active / T, reading.observedAtMs);
    }
    this.lastReadingAtMs = Math.max(this.lastReadingAtMs, reading.observedAtMs);
    const u = this.pid.terms().output;

    // 3. Predictions and the option.
    const pred = predict(kpis, prev);
    const B = T * (1 - this.cfg.headroom);
    const Bback = B * (1 - this.cfg.hysteresis);
    const c = optionIndex(prev);
    const maxMode = this.allocation.maxMode;
    const allowed =
      ov?.mode === 'conservative'
        ? [0]
        : ov?.mode === 'balanced'
          ? [1, 2, 3]
          : ov?.mode === 'aggressive'
            ? [4]
            : maxMode === 'conservative'
              ? [0]
              : maxMode === 'balanced'
                ? [0, 1, 2, 3]
                : [0, 1, 2, 3, 4];
    let chosen: number | undefined;
    for (const i of allowed) {
      if (i === AGGRESSIVE) break;
      const limit = i < c ? Bback : B;
      if (pred.exact[i] <= limit) {
        chosen = i;
        break;
      }
    }
    let why: string;
    if (chosen === undefined) {
      chosen = allowed.includes(AGGRESSIVE) ? AGGRESSIVE : allowed[allowed.length - 1];
    }
    const lessLossyMissed = allowed.filter((i) => i < chosen! && i !== AGGRESSIVE);
    const firstMiss = lessLossyMissed.length > 0 ? lessLossyMissed[lessLossyMissed.length - 1] : undefined;

    // 5. Dwell (before k, so k is computed for the option actually kept).
    let dwellNote = '';
    if (chosen !== c && !ov) {
      const left = this.dwellRemainingSeconds();
      if (left > 0) {
        dwellNote = `; ${OPTIONS[chosen]} wanted but dwell holds ${OPTIONS[c]} for ${left.toFixed(0)}s more`;
        chosen = c;
      }
    }
    const transition = chosen !== c;

    // 4. k.
    let k = ov?.k ?? prev.k;
    let predicted: number;
    let budget = B;
    if (chosen === AGGRESSIVE) {
      if (ov?.k === undefined) {
        // Entering aggressive: feed-forward only (the PID restarts); staying: budget trimmed by the PID.
        budget = transition ? B : B * (1 - u);
        const kNew = this.kForBudget(pred, budget);
        const band = Math.max(1, Math.ceil(this.cfg.topk.deadband * prev.k));
        // Staying: k only moves the way the measured error asks (no flip-flop on noise), and by more than the deadband.
        const ePid = error === undefined ? undefined : error + this.cfg.headroom;
        const wanted = ePid === undefined || (kNew > prev.k ? ePid < 0 : ePid > 0);
        const over = active !== undefined && active > T;
        if (transition || prev.mode !== 'aggressive') k = kNew;
        else if ((wanted && Math.abs(kNew - prev.k) >= band) || (over && kNew < prev.k)) k = kNew;
        else k = prev.k;
      }
      predicted = this.topkSeries(pred, k);
    } else {
      predicted = pred.exact[chosen];
    }
    const setting: Setting = {
      mode: chosen === 0 ? 'conservative' : chosen === AGGRESSIVE ? 'aggressive' : 'balanced',
      profile: chosen >= 1 && chosen <= 3 ? PROFILES[chosen - 1] : prev.profile,
      k,
      targetSeries: T,
    };
    const changed = !sameSetting(setting, prev);

    // Reason.
    const errNote =
      error === undefined ? '' : `; error ${fmt3(error)}, ${transition ? 'pid restarts after the transition' : `pid output ${fmt3(u)}`}`;
    const chosenName = describeSetting(setting);
    if (chosen === AGGRESSIVE) {
      const missed = firstMiss !== undefined ? `${OPTIONS[firstMiss]} would expose ${fmt(pred.exact[firstMiss])} series > budget ${fmt(B)}` : 'aggressive pinned';
      why = `${missed}: ${chosenName}, predicted ${fmt(predicted)} series for budget ${fmt(budget)} (target ${T})`;
      if (predicted > B) why += '; the budget cannot be met even at this k';
    } else if (predicted > B) {
      why = `${chosenName} predicted ${fmt(predicted)} series > budget ${fmt(B)} (target ${T}); nothing less lossy is allowed${ov?.mode ? ` (mode pinned to ${ov.mode})` : ''}`;
    } else if (chosen < c) {
      why = `load fell: ${chosenName} predicted ${fmt(predicted)} series <= ${fmt(Bback)} (budget ${fmt(B)} less ${Math.round(this.cfg.hysteresis * 100)}% hysteresis)`;
    } else if (chosen > c) {
      why = `${OPTIONS[c]} would expose ${fmt(pred.exact[c] ?? Infinity)} series > budget ${fmt(B)} (target ${T}): ${chosenName}, predicted ${fmt(predicted)} series`;
    } else {
      why = `${chosenName} fits: predicted ${fmt(predicted)} series <= budget ${fmt(B)} (target ${T})`;
    }
    if (active !== undefined) why = `active series ${fmt(active)}; ${why}`;
    const action: DecisionAction = ov && changed ? 'override' : transition ? 'transition' : changed ? 'adjust' : 'keep';
    return this.finish({
      atMs: now,
      previous: prev,
      setting,
      source,
      action,
      transition,
      changed,
      reason: `${why}${dwellNote}${errNote}${ovNote}`,
      predictedSeries: Number.isFinite(predicted) ? predicted : undefined,
      budgetSeries: budget,
      error,
      option: OPTIONS[chosen],
    });
  }

  private finish(d: Decision): Decision {
    if (d.changed) {
      this.lastChangeAtMs = d.atMs;
      this.pid.resetDerivative();
    }
    if (d.transition) {
      // An operator's override does not start the dwell: when it ends, the actuator may act at once.
      if (d.source === 'actuator') this.lastTransitionAtMs = d.atMs;
      this.transitionTimes.push(d.atMs);
      this.transitionsTotal += 1;
      this.pid.reset();
    }
    this.setting = { ...d.setting };
    this.lastDecision = d;
    return d;
  }
}
