import type { Logger, LogLimiter } from '@phoenix/runtime';
import { JsonlLog } from '../state/jsonlLog';
import type { Metric } from '../telemetry/metrics';

/** One entry waiting for the API's acknowledgement. */
export interface OutboxEntry<P> {
  seq: number;
  payload: P;
}

/** A line of the lane's file: an entry, an acknowledgement through a seq, or (after compaction) the last seq. */
type Record<P> = { e: OutboxEntry<P> } | { a: number } | { l: number };

export interface OutboxLaneOptions {
  name: string;
  file: string;
  maxEntries: number;
  log: Logger;
  /** drops are logged through it (a full log lane must not log one line per line it drops) */
  limiter: LogLimiter;
  metrics: { entries: Metric; dropped: Metric };
}

/**
 * One ordered lane of the outbox (task reports, KPI samples or log lines): entries in seq order, each seq
 * once (an entry whose seq is not above the last one added is ignored: deduplicated), persisted in
 * `<state dir>/outbox-<lane>.jsonl`, bounded (when full, the oldest entry is dropped and counted).
 */
export class OutboxLane<P> {
  private entries: Array<OutboxEntry<P>> = [];
  private last = -1;
  private readonly file: JsonlLog<Record<P>>;
  private readonly listeners = new Set<() => void>();
  readonly name: string;
  readonly maxEntries: number;

  constructor(private readonly o: OutboxLaneOptions) {
    this.name = o.name;
    this.maxEntries = o.maxEntries;
    this.file = new JsonlLog<Record<P>>(o.file);
  }

  /** Loads what an earlier run left undelivered. */
  open(): void {
    const { records, torn } = this.file.load();
    const bySeq = new Map<number, OutboxEntry<P>>();
    let acked = -1;
    for (const r of records) {
      if ('e' in r && r.e && Number.isSafeInteger(r.e.seq)) {
        bySeq.set(r.e.seq, r.e);
        this.last = Math.max(this.last, r.e.seq);
      } else if ('a' in r && Number.isSafeInteger(r.a)) acked = Math.max(acked, r.a);
      else if ('l' in r && Number.isSafeInteger(r.l)) this.last = Math.max(this.last, r.l);
    }
    this.entries = [...bySeq.values()].filter((e) => e.seq > acked).sort((a, b) => a.seq - b.seq);
    while (this.entries.length > this.maxEntries) this.dropOldest();
    if (torn > 0) this.o.log.warn('outbox: skipped torn lines (a crash mid-write)', { lane: this.name, torn });
    if (this.entries.length > 0) this.o.log.info('outbox: undelivered entries from the last run', { lane: this.name, entries: this.entries.length });
    this.compact();
    this.update();
  }

  get size(): number {
    return this.entries.length;
  }

  /** The highest seq ever added (-1 when none). */
  get lastSeq(): number {
    return this.last;
  }

  /** Adds entries in seq order; returns how many were new (a seq not above the last is a duplicate). */
  add(entries: ReadonlyArray<OutboxEntry<P>>): number {
    const fresh: Array<OutboxEntry<P>> = [];
    for (const e of entries) {
      if (!(e.seq > this.last)) continue;
      this.last = e.seq;
      fresh.push(e);
    }
    if (fresh.length === 0) return 0;
    this.file.append(fresh.map((e) => ({ e })));
    this.entries.push(...fresh);
    while (this.entries.length > this.maxEntries) this.dropOldest();
    this.update();
    for (const l of this.listeners) l();
    return fresh.length;
  }

  /** The oldest `n` entries (not removed). */
  peek(n: number): Array<OutboxEntry<P>> {
    return this.entries.slice(0, n);
  }

  /** Removes every entry up to and including `seq` (delivered, or given up). */
  ack(seq: number): void {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.seq > seq);
    if (this.entries.length === before) return;
    this.file.append([{ a: seq }]);
    if (this.file.lines > 2 * this.entries.length + 1000) this.compact();
    this.update();
  }

  /** Calls `fn` whenever entries are added; returns the unsubscribe function. */
  onAdd(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  close(): void {
    this.file.close();
  }

  private dropOldest(): void {
    const dropped = this.entries.shift();
    if (!dropped) return;
    this.o.metrics.dropped.inc({ lane: this.name });
    this.o.limiter.warn(`outbox-full-${this.name}`, 'outbox full: dropped the oldest entry', { lane: this.name, seq: dropped.seq, max_entries: this.maxEntries });
  }

  private compact(): void {
    this.file.rewrite([{ l: this.last }, ...this.entries.map((e) => ({ e }))]);
  }

  private update(): void {
    this.o.metrics.entries.set({ lane: this.name }, this.entries.length);
  }
}
