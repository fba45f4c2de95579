import type { LogLine } from '@phoenix/contracts';
import { isLogLevel, type Clock, type LogLevel, type TimerHandle } from '@phoenix/runtime';
import type { OutboxLane } from '../outbox/outboxLane';
import type { SeqCounter } from '../state/seqCounter';

type Source = LogLine['source'];
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const MAX_MSG = 8192;
const MAX_FIELDS_JSON = 4096;

export interface LogShipperOptions {
  clock: Clock;
  /** lines of this level and above go to the API (debug stays local) */
  shipLevel: LogLevel;
  /** recent lines kept for collect_diagnostics */
  ringSize: number;
  /** lines are handed to the outbox in batches (one fsync per batch) */
  flushMs: number;
  /** where every line is printed too (default stdout) */
  out?: (line: string) => void;
}

/** One line as the agent keeps it: a LogLine without its seq. */
export type RecentLine = Omit<LogLine, 'seq'>;

/**
 * The agent's log lines and those of its managed children: printed (stdout, for journald / docker logs),
 * kept in a ring for diagnostics, and queued in the outbox's log lane (per-host seq) for
 * POST /api/v1/agent/logs. Lines before the outbox is open are held (bounded) and queued once it is.
 */
export class LogShipper {
  private readonly ring: RecentLine[] = [];
  private pending: RecentLine[] = [];
  private lane: OutboxLane<LogLine> | undefined;
  private seq: SeqCounter | undefined;
  private timer: TimerHandle | undefined;
  private inside = false;
  private readonly out: (line: string) => void;

  constructor(private readonly o: LogShipperOptions) {
    this.out = o.out ?? ((line) => process.stdout.write(`${line}\n`));
  }

  /** The sink of the agent's logger. */
  readonly sink = (line: string): void => {
    this.out(line);
    this.take('agent', line);
  };

  /** An output line of a managed child (phoenix-core, phoenix-control). */
  childLine(source: Source, line: string): void {
    this.out(line);
    this.take(source, line);
  }

  /** From now on lines are queued in `lane` with numbers from `seq`. */
  attach(lane: OutboxLane<LogLine>, seq: SeqCounter): void {
    this.lane = lane;
    this.seq = seq;
    this.schedule();
  }

  /** The last `n` lines (oldest first). */
  recent(n: number): RecentLine[] {
    return n <= 0 ? [] : this.ring.slice(-n);
  }

  /** Queues what is pending now and stops the timer (before the outbox closes). */
  flush(): void {
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.drain();
  }

  /** Detaches from the outbox (stop): later lines are only printed and kept in the ring. */
  detach(): void {
    this.flush();
    this.lane = undefined;
  }

  private take(source: Source, raw: string): void {
    const line = parse(source, raw, this.o.clock.now());
    this.ring.push(line);
    if (this.ring.length > this.o.ringSize) this.ring.splice(0, this.ring.length - this.o.ringSize);
    if (ORDER[line.level] < ORDER[this.o.shipLevel]) return;
    this.pending.push(line);
    if (this.pending.length > 10_000) this.pending.splice(0, this.pending.length - 10_000);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || !this.lane || this.pending.length === 0) return;
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, this.o.flushMs);
  }

  private drain(): void {
    if (!this.lane || !this.seq || this.inside || this.pending.length === 0) return;
    this.inside = true; // a failure logged here must not re-enter
    try {
      const batch = this.pending;
      this.pending = [];
      const seq = this.seq;
      this.lane.add(
        batch.map((line) => {
          const n = seq.take('logs');
          return { seq: n, payload: { seq: n, ...line } };
        }),
      );
    } catch (err) {
      this.out(JSON.stringify({ ts: new Date(this.o.clock.now()).toISOString(), level: 'error', msg: 'log lines could not be queued', error: (err as Error).message }));
    } finally {
      this.inside = false;
    }
  }
}

/** A JSON log line of a Phoenix service (or any text line) as a LogLine without seq. */
export function parse(source: Source, raw: string, nowMs: number): RecentLine {
  let rec: Record<string, unknown> | undefined;
  if (raw.startsWith('{')) {
    try {
      const v = JSON.parse(raw) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) rec = v as Record<string, unknown>;
    } catch {
      rec = undefined;
    }
  }
  if (!rec) return { ts: new Date(nowMs).toISOString(), source, level: 'info', msg: raw.slice(0, MAX_MSG) };
  const { ts, level, msg, ...rest } = rec;
  const t = typeof ts === 'string' && !Number.isNaN(Date.parse(ts)) ? new Date(Date.parse(ts)).toISOString() : new Date(nowMs).toISOString();
  const lvl = typeof level === 'string' && isLogLevel(level) ? level : 'info';
  const line: RecentLine = { ts: t, source, level: lvl, msg: (typeof msg === 'string' ? msg : JSON.stringify(msg ?? '')).slice(0, MAX_MSG) };
  if (Object.keys(rest).length > 0) {
    const json = JSON.stringify(rest);
    line.fields = json.length <= MAX_FIELDS_JSON ? rest : { truncated: true, size: json.length };
  }
  return line;
}
