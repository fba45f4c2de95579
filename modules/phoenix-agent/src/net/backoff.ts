/**
 * Exponential backoff with jitter: the n-th consecutive failure waits a random time in [cap/2, cap] where
 * cap = min(max, min * 2^n), so agents that lost the API at the same moment do not return in step.
 */
export class Backoff {
  private n = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    /** in [0, 1): Math.random, or a seeded source in tests; () => 1 - Number.EPSILON gives the cap */
    private readonly random: () => number = Math.random,
  ) {}

  /** The wait before the next attempt, counting one more failure. */
  next(): number {
    const cap = Math.min(this.maxMs, this.minMs * 2 ** this.n);
    if (cap < this.maxMs) this.n += 1;
    return Math.round(cap / 2 + (this.random() * cap) / 2);
  }

  /** After a success: the next failure waits the minimum again. */
  reset(): void {
    this.n = 0;
  }

  /** Consecutive failures counted (capped once the maximum is reached). */
  get failures(): number {
    return this.n;
  }
}

/** `ms` ± `fraction` (default 10 %), for fixed retry intervals that should not align across agents. */
export function jittered(ms: number, random: () => number = Math.random, fraction = 0.1): number {
  return Math.round(ms * (1 - fraction + 2 * fraction * random()));
}
