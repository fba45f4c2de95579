import { createLogLimiter, type Clock, type Logger, type LogLimiter } from '@phoenix/runtime';
import type { Increase, Series, SeriesListener } from './series';

/** Where a store listener sits: the labels of `phoenix_pipeline_errors_total`. */
export interface ListenerPlace {
  /** e.g. `optimized`, `experimental_topk` */
  pipeline: string;
  /** what the listener does with an update, e.g. `route`, `rank`; an expiry counts as `expire` */
  stage: string;
}

/** Failures of the listeners at one place so far (cumulative). */
export interface PipelineErrorCount extends ListenerPlace {
  errors: number;
}

/** Logs of failing listeners: the first lines per place, then one line per minute with the count held back. */
const LOG_FIRST = 10;
const LOG_INTERVAL_MS = 60_000;

/**
 * The series store's listeners (the pipelines), called in the order they were added. A listener
 * that throws does not stop the others and never reaches the store's caller: the failure is
 * counted per (pipeline, stage) and logged, rate-limited.
 */
export class StoreListeners {
  private readonly listeners: SeriesListener[] = [];
  /** per listener: its update counter and its expire counter (shared by listeners at one place) */
  private readonly onUpdateCount: PipelineErrorCount[] = [];
  private readonly onExpireCount: PipelineErrorCount[] = [];
  private readonly counts = new Map<string, PipelineErrorCount>();
  private readonly limiter: LogLimiter;

  constructor(log: Logger, clock: Pick<Clock, 'now'>) {
    this.limiter = createLogLimiter(log, { first: LOG_FIRST, intervalMs: LOG_INTERVAL_MS, clock });
  }

  add(l: SeriesListener, place: ListenerPlace): void {
    this.listeners.push(l);
    this.onUpdateCount.push(this.count(place.pipeline, place.stage));
    this.onExpireCount.push(this.count(place.pipeline, 'expire'));
  }

  private count(pipeline: string, stage: string): PipelineErrorCount {
    const key = `${pipeline}\u0000${stage}`;
    let c = this.counts.get(key);
    if (!c) {
      c = { pipeline, stage, errors: 0 };
      this.counts.set(key, c);
    }
    return c;
  }

  /**
   * Tells every listener that a point was applied to `s`. Returns undefined when all took it,
   * else why the first one failed (the store then refuses the point as `pipeline_error`).
   */
  update(s: Series, inc: Increase | undefined, now: number): string | undefined {
    let failure: string | undefined;
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) {
      try {
        ls[i].onUpdate(s, inc, now);
      } catch (err) {
        const why = this.failed(this.onUpdateCount[i], err, s);
        failure ??= why;
      }
    }
    return failure;
  }

  /** Tells every listener that the sweep removed `s`. */
  expire(s: Series): void {
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) {
      try {
        ls[i].onExpire(s);
      } catch (err) {
        this.failed(this.onExpireCount[i], err, s);
      }
    }
  }

  private failed(c: PipelineErrorCount, err: unknown, s: Series): string {
    c.errors++;
    const message = err instanceof Error ? err.message : String(err);
    this.limiter.error(`${c.pipeline}/${c.stage}`, 'pipeline listener failed', { pipeline: c.pipeline, stage: c.stage, family: s.family.name, err });
    return `pipeline ${c.pipeline} failed at ${c.stage}: ${message}`;
  }

  /** Failures so far at every place a listener sits (zero included), in the order they were added. */
  errors(): PipelineErrorCount[] {
    return [...this.counts.values()].map((c) => ({ ...c }));
  }
}

/** The counts of several stores (the shards of a sharded core), summed per place. */
export function sumPipelineErrors(lists: ReadonlyArray<readonly PipelineErrorCount[]>): PipelineErrorCount[] {
  const out = new Map<string, PipelineErrorCount>();
  for (const list of lists) {
    for (const c of list) {
      const key = `${c.pipeline}\u0000${c.stage}`;
      const sum = out.get(key);
      if (sum) sum.errors += c.errors;
      else out.set(key, { ...c });
    }
  }
  return [...out.values()];
}
