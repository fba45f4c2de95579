import fs from 'node:fs';
import { writeFileAtomic, type Clock } from '@phoenix/runtime';

export type SeqStream = 'metrics' | 'logs';

/**
 * The per-host sequence numbers of KPI samples and log lines (the API keeps one entry per (host, seq)).
 * They increase across restarts: a restarted agent starts at max(saved + 1, now_ms * 1000). Numbers are
 * reserved in blocks, so the file is written once per `block` numbers, not per sample.
 */
export class SeqCounter {
  private readonly next: Record<SeqStream, number> = { metrics: 0, logs: 0 };
  private readonly reserved: Record<SeqStream, number> = { metrics: -1, logs: -1 };

  constructor(
    private readonly file: string,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly block = 100_000,
  ) {}

  open(): void {
    let saved: Partial<Record<SeqStream, number>> = {};
    try {
      saved = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Partial<Record<SeqStream, number>>;
    } catch {
      /* missing or unreadable: the clock alone orders them */
    }
    const floor = Math.floor(this.clock.now()) * 1000;
    for (const s of ['metrics', 'logs'] as const) {
      const v = saved[s];
      const last = typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : -1;
      this.next[s] = Math.max(last + 1, floor);
      this.reserved[s] = this.next[s] - 1;
    }
  }

  /** The next number of `stream`. */
  take(stream: SeqStream): number {
    const n = this.next[stream];
    if (n > this.reserved[stream]) {
      this.reserved[stream] = n + this.block - 1;
      writeFileAtomic(this.file, JSON.stringify(this.reserved), { mode: 0o600 });
    }
    this.next[stream] = n + 1;
    return n;
  }
}
