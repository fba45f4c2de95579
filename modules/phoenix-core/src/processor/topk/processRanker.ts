import type { PriorityClass } from '@phoenix/contracts';
import type { Increase, Series, SeriesListener } from '../../store/series';
import type { ProcessIdentity } from '../rollup/processIdentity';

/** What the ranker knows of one process. */
export interface ProcessStats {
  key: string;
  /** the process' names, for its priority class; undefined once the class is known */
  executable: string | undefined;
  commandLine: string | undefined;
  /** memo of the priority class (see OptimizedPipeline.rollsUp) */
  cls?: PriorityClass;
  /**
   * The ranking metric's increases within the window, flat: `[clock ms, increase, clock ms,
   * increase, …]` (one array of unboxed doubles rather than an array per entry)
   */
  entries: number[];
  lastSeenMs: number;
  /** set when prune() dropped the process (series that kept it in their slot look it up again) */
  gone?: boolean;
}

/**
 * The ranking signal: per host and process, the rate of a cumulative metric (default
 * process.cpu.time, summed over its other attributes such as `state`) over a sliding window.
 * A series' first point is not counted: it carries the process' lifetime total, not a rate.
 */
export class ProcessRanker implements SeriesListener {
  readonly hosts = new Map<string, Map<string, ProcessStats>>();

  constructor(
    private readonly metric: string,
    private readonly hostAttribute: string,
    private readonly identity: ProcessIdentity,
    private readonly now: () => number,
    public windowMs: number,
    /** the series slot (SeriesStore.allocSlot) where a series keeps its process: false for a non-process series */
    private readonly slot: number,
  ) {}

  onUpdate(s: Series, inc: Increase | undefined, now: number): void {
    if (s.family.otelName !== this.metric) {
      // a series of another metric keeps its process too (when the ranker already knows it), so
      // re-ranking finds the process of a series without decoding its attributes (knownProcessKey)
      if (s.creating !== undefined && s.slot(this.slot) === undefined) this.attach(s);
      return;
    }
    if (!inc) return;
    let p = s.slot(this.slot) as ProcessStats | false | undefined;
    if (p === false) return;
    if (p === undefined || p.gone) {
      p = this.processOf(s, now);
      s.setSlot(this.slot, p ?? false);
      if (!p) return;
    }
    p.lastSeenMs = now;
    if (s.updates > 1 && inc.value > 0) {
      // increases within a twelfth of the window (at least a second: the states of one export) share
      // an entry, so a process holds at most ~13 entries however often it exports
      const e = p.entries;
      const n = e.length;
      if (n > 0 && now - e[n - 2] < Math.max(1000, this.windowMs / 12)) e[n - 1] += inc.value;
      else e.push(now, inc.value);
    }
  }

  private processOf(s: Series, now: number): ProcessStats | undefined {
    const key = this.identity.processKey(s);
    if (key === '') return undefined;
    const host = (s.hostKey ??= s.attr(this.hostAttribute) ?? '');
    let procs = this.hosts.get(host);
    if (!procs) {
      procs = new Map();
      this.hosts.set(host, procs);
    }
    let p = procs.get(key);
    if (!p) {
      // the class when a pipeline already knows it (then the process needs no copy of its names)
      const cls = s.procClass ?? undefined;
      const names = cls === undefined;
      p = { key, executable: names ? s.attr('process.executable.name') : undefined, commandLine: names ? s.attr('process.command_line') : undefined, cls, entries: [], lastSeenMs: now };
      procs.set(key, p);
    }
    return p;
  }

  /** Fills the slot of a new series of another metric: false for a non-process series, else its process if known. */
  private attach(s: Series): void {
    const key = s.procClass === null ? '' : this.identity.processKey(s);
    if (key === '') {
      s.setSlot(this.slot, false);
      return;
    }
    const p = this.hosts.get((s.hostKey ??= s.attr(this.hostAttribute) ?? ''))?.get(key);
    if (p) s.setSlot(this.slot, p);
  }

  /**
   * The process key of a series when its slot tells it: '' for a non-process series, undefined when
   * the slot does not know (the caller then asks ProcessIdentity.processKey, which decodes the series).
   */
  knownProcessKey(s: Series): string | undefined {
    const p = s.slot(this.slot) as ProcessStats | false | undefined;
    if (p === false) return '';
    return p !== undefined && !p.gone ? p.key : undefined;
  }

  onExpire(): void {
    /* processes age out in prune() */
  }

  /** Rate per second of a process over the window ending now. */
  rate(p: ProcessStats, now = this.now()): number {
    const from = now - this.windowMs;
    let sum = 0;
    const e = p.entries;
    for (let i = 0; i < e.length; i += 2) if (e[i] > from) sum += e[i + 1];
    return sum / (this.windowMs / 1000);
  }

  /** Drops entries older than the window and processes not seen for `staleMs`. */
  prune(staleMs: number): void {
    const now = this.now();
    const from = now - this.windowMs;
    for (const [host, procs] of this.hosts) {
      for (const [key, p] of procs) {
        const e = p.entries;
        if (e.length > 0 && e[0] <= from) {
          let i = 0;
          while (i < e.length && e[i] <= from) i += 2;
          e.splice(0, i);
        }
        if (p.lastSeenMs < now - staleMs) {
          procs.delete(key);
          p.gone = true;
        }
      }
      if (procs.size === 0) this.hosts.delete(host);
    }
  }
}

/**
 * Chooses the k members with hysteresis: incumbents' rates count (1 + margin) times; ties go to
 * the lexicographically smaller process key, so the result is deterministic.
 */
export function chooseTopK(rates: Array<[key: string, rate: number]>, incumbents: ReadonlySet<string>, k: number, margin: number): Set<string> {
  const scored = rates.map(([key, r]) => [key, incumbents.has(key) ? r * (1 + margin) : r] as [string, number]);
  scored.sort((a, b) => (b[1] !== a[1] ? b[1] - a[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Set(scored.slice(0, k).map(([key]) => key));
}
