import { Counter, Gauge, type Registry } from 'prom-client';
import { optionalGauge } from '../promUtil';

/** The actuator's Prometheus metrics (served on the control API's /metrics). */
export class ControlMetrics {
  readonly transitions: Counter<'from' | 'to'>;
  readonly decisions: Counter<'action'>;
  readonly holds: Counter<'reason'>;
  readonly writes: Counter<'result'>;
  readonly overrides: Counter<'event'>;

  constructor(
    registry: Registry,
    read: {
      setting(): { mode: string; profile: string; k: number; targetSeries: number };
      generation(): number;
      error(): number | undefined;
      pid(): { p: number; i: number; d: number; output: number; integral: number };
      margin(): number;
      dwellRemaining(): number;
      stability(): number;
      holding(): boolean;
      override(): { expiresAtMs: number } | undefined;
      historyFailures(): number;
    },
  ) {
    const registers = [registry];
    new Gauge({
      name: 'phoenix_actuator_mode_info',
      help: '1 for the mode and profile the actuator has written.',
      labelNames: ['mode', 'profile'],
      registers,
      collect() {
        this.reset();
        const s = read.setting();
        this.set({ mode: s.mode, profile: s.profile }, 1);
      },
    });
    const scalar = (name: string, help: string, fn: () => number | undefined): void => optionalGauge(registry, name, help, fn);
    scalar('phoenix_actuator_topk_k', 'topk.k the actuator has written.', () => read.setting().k);
    scalar('phoenix_actuator_target_series', 'Series budget in force (the override target while one sets it).', () => read.setting().targetSeries);
    scalar('phoenix_actuator_generation', 'Generation of the last control file written.', () => read.generation());
    scalar('phoenix_actuator_error_ratio', '(active series - target) / target at the last fresh reading (absent while holding).', () => read.error());
    new Gauge({
      name: 'phoenix_actuator_pid_term',
      help: 'PID terms: p, i, d.',
      labelNames: ['term'],
      registers,
      collect() {
        const t = read.pid();
        this.set({ term: 'p' }, t.p);
        this.set({ term: 'i' }, t.i);
        this.set({ term: 'd' }, t.d);
      },
    });
    scalar('phoenix_actuator_pid_output', 'PID output (p + i + d, clamped).', () => read.pid().output);
    scalar('phoenix_actuator_pid_integral', 'PID integral term (clamped: anti-windup).', () => read.pid().integral);
    scalar('phoenix_actuator_margin_ratio', 'Share of the target kept free for the top-k budget: headroom + PID output.', () => read.margin());
    scalar('phoenix_actuator_dwell_remaining_seconds', 'Seconds before the next mode/profile transition is allowed.', () => read.dwellRemaining());
    scalar('phoenix_actuator_stability_score', '1 - transitions in the window / the most the dwell allows (1 = stable).', () => read.stability());
    scalar('phoenix_actuator_kpis_stale', '1 while the actuator holds its last decision because KPIs are absent or stale.', () => (read.holding() ? 1 : 0));
    scalar('phoenix_actuator_override_active', '1 while a manual override holds.', () => (read.override() ? 1 : 0));
    scalar('phoenix_actuator_override_expiry_timestamp_seconds', 'When the manual override expires (absent without one).', () => {
      const o = read.override();
      return o ? o.expiresAtMs / 1000 : undefined;
    });
    scalar('phoenix_actuator_history_write_failures_total', 'Failed writes to the SQLite history.', () => read.historyFailures());
    this.transitions = new Counter({
      name: 'phoenix_actuator_transitions_total',
      help: 'Mode/profile transitions by from/to mode (a profile change within balanced counts as balanced -> balanced).',
      labelNames: ['from', 'to'],
      registers,
    });
    this.decisions = new Counter({
      name: 'phoenix_actuator_decisions_total',
      help: 'Control steps by action (transition, adjust, keep, hold, override).',
      labelNames: ['action'],
      registers,
    });
    for (const a of ['transition', 'adjust', 'keep', 'hold', 'override']) this.decisions.inc({ action: a }, 0);
    this.holds = new Counter({
      name: 'phoenix_actuator_holds_total',
      help: 'Control steps that held the last decision, by reason (absent, stale, incomplete).',
      labelNames: ['reason'],
      registers,
    });
    this.writes = new Counter({
      name: 'phoenix_actuator_control_file_writes_total',
      help: 'Writes of optimization_mode.yaml by result (success, failure).',
      labelNames: ['result'],
      registers,
    });
    for (const r of ['success', 'failure']) this.writes.inc({ result: r }, 0);
    this.overrides = new Counter({
      name: 'phoenix_actuator_overrides_total',
      help: 'Manual override events (set, cleared, expired).',
      labelNames: ['event'],
      registers,
    });
  }
}
