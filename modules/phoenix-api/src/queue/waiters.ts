import type { Clock, TimerHandle } from '@phoenix/runtime';

export type WakeReason = 'wake' | 'timeout' | 'closed';

interface Waiter {
  hostId: string;
  bucket: number;
  resolve: (why: WakeReason) => void;
  done: boolean;
}

/** One long poll waiting: `promise` settles once (woken, timed out, closed); `cancel` forgets it. */
export interface Wait {
  promise: Promise<WakeReason>;
  cancel(): void;
}

/**
 * The long polls of this process, by host. No timer per waiter and no database connection: deadlines fall
 * into buckets of `resolutionMs`, and one clock timer serves the earliest bucket (a timer wheel), so 10,000
 * waiting agents cost 10,000 small objects. Scheduled wake-ups (a retry falling due) use the same buckets.
 */
export class Waiters {
  private readonly byHost = new Map<string, Set<Waiter>>();
  private readonly buckets = new Map<number, Set<Waiter>>();
  private readonly wakeups = new Map<number, Set<string>>();
  private timer: TimerHandle | undefined;
  private timerBucket = Infinity;
  private count = 0;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly resolutionMs = 100,
  ) {}

  /** Long polls waiting now. */
  get size(): number {
    return this.count;
  }

  /** Waits for a wake-up of `hostId`, at most `timeoutMs` (rounded up to the resolution). */
  wait(hostId: string, timeoutMs: number): Wait {
    let resolve!: (why: WakeReason) => void;
    const promise = new Promise<WakeReason>((r) => (resolve = r));
    if (this.closed) {
      resolve('closed');
      return { promise, cancel: () => undefined };
    }
    const bucket = Math.ceil((this.clock.now() + Math.max(0, timeoutMs)) / this.resolutionMs);
    const w: Waiter = { hostId, bucket, resolve, done: false };
    let set = this.byHost.get(hostId);
    if (!set) this.byHost.set(hostId, (set = new Set()));
    set.add(w);
    let b = this.buckets.get(bucket);
    if (!b) this.buckets.set(bucket, (b = new Set()));
    b.add(w);
    this.count += 1;
    this.arm(bucket);
    return { promise, cancel: () => this.settle(w, 'closed') };
  }

  /** Wakes every waiter of the host now; returns how many. */
  wake(hostId: string): number {
    const set = this.byHost.get(hostId);
    if (!set) return 0;
    let n = 0;
    for (const w of [...set]) {
      this.settle(w, 'wake');
      n += 1;
    }
    return n;
  }

  /** Wakes every waiter (the notification connection was re-established: something may have been missed). */
  wakeAll(): number {
    let n = 0;
    for (const host of [...this.byHost.keys()]) n += this.wake(host);
    return n;
  }

  /** Wakes the host's waiters at `atMs` (a retry falls due then). */
  wakeAt(hostId: string, atMs: number): void {
    if (this.closed) return;
    const bucket = Math.ceil(atMs / this.resolutionMs);
    let set = this.wakeups.get(bucket);
    if (!set) this.wakeups.set(bucket, (set = new Set()));
    set.add(hostId);
    this.arm(bucket);
  }

  /** Answers every waiter with `closed` and accepts no more (the service stops). */
  closeAll(): void {
    this.closed = true;
    for (const set of [...this.byHost.values()]) for (const w of [...set]) this.settle(w, 'closed');
    this.wakeups.clear();
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private settle(w: Waiter, why: WakeReason): void {
    if (w.done) return;
    w.done = true;
    this.count -= 1;
    const set = this.byHost.get(w.hostId);
    set?.delete(w);
    if (set?.size === 0) this.byHost.delete(w.hostId);
    const b = this.buckets.get(w.bucket);
    b?.delete(w);
    if (b?.size === 0) this.buckets.delete(w.bucket);
    w.resolve(why);
  }

  /** Keeps the one timer on the earliest bucket. */
  private arm(bucket: number): void {
    if (this.closed || bucket >= this.timerBucket) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timerBucket = bucket;
    this.timer = this.clock.setTimeout(() => this.tick(), bucket * this.resolutionMs - this.clock.now());
  }

  private tick(): void {
    this.timer = undefined;
    this.timerBucket = Infinity;
    const due = Math.floor(this.clock.now() / this.resolutionMs);
    let next = Infinity;
    for (const [bucket, set] of [...this.buckets]) {
      if (bucket <= due) for (const w of [...set]) this.settle(w, 'timeout');
      else next = Math.min(next, bucket);
    }
    for (const [bucket, hosts] of [...this.wakeups]) {
      if (bucket <= due) {
        this.wakeups.delete(bucket);
        for (const h of hosts) this.wake(h);
      } else next = Math.min(next, bucket);
    }
    if (next !== Infinity) this.arm(next);
  }
}
