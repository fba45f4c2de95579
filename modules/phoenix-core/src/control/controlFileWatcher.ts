import fs from 'node:fs';
import chokidar, { type FSWatcher } from 'chokidar';
import { Counter, Gauge, type Registry } from 'prom-client';
import YAML from 'yaml';
import { validateOptimizationMode, type OptimizationMode } from '@phoenix/contracts';
import { GuardedLifecycle, systemClock, type Clock, type Logger } from '@phoenix/runtime';
import { every } from '../timer/every';

export type ReloadResult = 'success' | 'rejected' | 'missing';

/**
 * Watches optimization_mode.yaml (chokidar; the actuator replaces it by rename) and applies every
 * valid version without restart. A file that cannot be read, parsed or validated is rejected as a
 * whole: the last good configuration stays in force, the rejection is logged with its reason and
 * counted, and the reason is shown on the observatory. Exposes the settings in force.
 */
export class ControlFileWatcher extends GuardedLifecycle {
  private watcher: FSWatcher | undefined;
  private current: OptimizationMode;
  /** the last content processed and its outcome: an event and the stat check never count one file twice */
  private lastSeenText: string | undefined;
  private lastResult: ReloadResult = 'missing';
  private statKey = '';
  private stopPolling: (() => void) | undefined;
  private readonly clock: Clock;
  private readonly reloads: Counter<'result'>;
  private readonly lastRejection: Gauge<'reason'>;
  private readonly lastSuccess: Gauge;
  private readonly usePolling: boolean;

  constructor(
    readonly file: string,
    initial: OptimizationMode,
    private readonly apply: (cfg: OptimizationMode, previous: OptimizationMode) => void,
    registry: Registry,
    private readonly log: Logger,
    opts: { usePolling?: boolean; clock?: Clock } = {},
  ) {
    super('the control-file watcher');
    this.usePolling = opts.usePolling ?? false;
    this.clock = opts.clock ?? systemClock;
    this.current = initial;
    this.reloads = new Counter({
      name: 'phoenix_control_file_reloads_total',
      help: 'Reload attempts of optimization_mode.yaml by result (success, rejected, missing).',
      labelNames: ['result'],
      registers: [registry],
    });
    for (const r of ['success', 'rejected', 'missing']) this.reloads.inc({ result: r }, 0);
    this.lastRejection = new Gauge({
      name: 'phoenix_control_file_last_rejection_info',
      help: 'Reason of the last rejected control file (value 1).',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.lastSuccess = new Gauge({
      name: 'phoenix_control_file_last_reload_success_timestamp_seconds',
      help: 'When a control file was last applied.',
      registers: [registry],
    });
    const generation: Gauge = new Gauge({
      name: 'phoenix_control_generation',
      help: 'generation of the control settings in force.',
      registers: [registry],
      collect: () => generation.set(this.current.generation),
    });
    const k: Gauge = new Gauge({ name: 'phoenix_control_topk_k', help: 'topk.k in force.', registers: [registry], collect: () => k.set(this.current.topk.k) });
    const target: Gauge = new Gauge({
      name: 'phoenix_control_target_series',
      help: 'target_series in force.',
      registers: [registry],
      collect: () => target.set(this.current.target_series),
    });
    const modeInfo: Gauge<'mode' | 'profile'> = new Gauge({
      name: 'phoenix_control_mode_info',
      help: 'The mode and profile in force (value 1).',
      labelNames: ['mode', 'profile'],
      registers: [registry],
      collect: () => {
        modeInfo.reset();
        modeInfo.set({ mode: this.current.mode, profile: this.current.profile }, 1);
      },
    });
  }

  /** The configuration in force. */
  get config(): OptimizationMode {
    return this.current;
  }

  /** start(): reads the file once now, then watches it. */
  protected async doStart(): Promise<void> {
    this.reload('start');
    this.watcher = chokidar.watch(this.file, {
      ignoreInitial: true,
      usePolling: this.usePolling,
      interval: 250,
      atomic: 100,
    });
    this.watcher.on('add', () => this.reload('add'));
    this.watcher.on('change', () => this.reload('change'));
    this.watcher.on('unlink', () => this.log.warn('control file removed; the last good configuration stays in force', { file: this.file }));
    this.watcher.on('error', (err) => this.log.error('control file watcher error', { err }));
    await new Promise<void>((resolve) => this.watcher?.once('ready', () => resolve()));
    // safety net for missed or delayed file-system events (rapid successive renames, chokidar's
    // atomic-write grace period, some container volumes): one stat() every 100 ms bounds how long
    // a new file can go unnoticed
    this.stopPolling = every(this.clock, 100, () => {
      if (this.currentStatKey() !== this.statKey) this.reload('stat');
    });
  }

  private currentStatKey(): string {
    try {
      const st = fs.statSync(this.file);
      return `${st.ino}:${st.mtimeMs}:${st.size}`;
    } catch {
      return 'missing';
    }
  }

  /** Reads, validates and applies the file; never throws. */
  reload(trigger: string): ReloadResult {
    this.statKey = this.currentStatKey();
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        this.lastSeenText = undefined;
        this.reloads.inc({ result: 'missing' });
        this.log.info('no control file; the configuration in force is kept', { file: this.file, trigger, mode: this.current.mode });
        return 'missing';
      }
      return this.reject(`cannot read ${this.file}: ${(err as Error).message}`, trigger);
    }
    if (text === this.lastSeenText) return this.lastResult;
    this.lastSeenText = text;
    let doc: unknown;
    try {
      doc = YAML.parse(text);
    } catch (err) {
      return this.reject(`not valid YAML: ${(err as Error).message.split('\n')[0]}`, trigger);
    }
    const v = validateOptimizationMode(doc);
    if (!v.ok) return this.reject(`invalid: ${v.errors.join('; ')}`, trigger);
    const previous = this.current;
    try {
      this.apply(v.value, previous);
    } catch (err) {
      return this.reject(`could not be applied: ${(err as Error).message}`, trigger);
    }
    this.current = v.value;
    this.lastResult = 'success';
    this.reloads.inc({ result: 'success' });
    this.lastSuccess.set(this.clock.now() / 1000);
    this.log.info('control file applied', {
      file: this.file,
      trigger,
      generation: v.value.generation,
      mode: v.value.mode,
      profile: v.value.profile,
      k: v.value.topk.k,
      target_series: v.value.target_series,
      source: v.value.source,
      reason: v.value.reason,
    });
    return 'success';
  }

  private reject(reason: string, trigger: string): ReloadResult {
    this.lastResult = 'rejected';
    this.reloads.inc({ result: 'rejected' });
    this.lastRejection.reset();
    this.lastRejection.set({ reason: reason.slice(0, 500) }, 1);
    this.log.warn('control file rejected; the last good configuration stays in force', {
      file: this.file,
      trigger,
      reason,
      generation_in_force: this.current.generation,
    });
    return 'rejected';
  }

  protected async doStop(): Promise<void> {
    this.stopPolling?.();
    await this.watcher?.close();
  }
}
