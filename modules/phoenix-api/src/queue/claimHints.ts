/**
 * What this process knows about which hosts may have a claimable task, so that a long poll of a host with
 * nothing queued waits without a database query. 10,000 agents re-polling at once (their waits end together
 * after an API restart) would otherwise be 10,000 claim queries at once: more than a bounded pool serves
 * before its connect timeout, and on PGlite a queue in front of every dispatch.
 *
 * It starts (and returns after a lost notification connection) as `unknown`: every host may have work.
 * `load()` takes the hosts with pending tasks from the database (after LISTEN is up, so nothing falls in
 * between); from then on a host may have work when a notification named it (a task queued, a lease expired,
 * a retry due at a time) or the load listed it. A claim that found nothing clears the host, unless a
 * notification came in while it ran (a generation per host says so), and keeps retries due later.
 */
export class ClaimHints {
  private known = false;
  /** host → the times from which its work may be claimable (0: now) */
  private readonly due = new Map<string, number[]>();
  private readonly generations = new Map<string, number>();

  /** Forget everything: every host may have work until the next load(). */
  reset(): void {
    this.known = false;
    this.due.clear();
  }

  /** The hosts with pending tasks and when each becomes claimable (the database's view at load time). */
  load(pending: Array<{ hostId: string; at: number }>): void {
    this.due.clear();
    for (const p of pending) this.add(p.hostId, p.at);
    this.known = true;
  }

  /** A notification: the host has work claimable from `at` (default now). */
  notify(hostId: string, at = 0): void {
    this.generations.set(hostId, (this.generations.get(hostId) ?? 0) + 1);
    this.add(hostId, at);
  }

  /** May a claim for the host find something at `now`? */
  mayHaveWork(hostId: string, now: number): boolean {
    if (!this.known) return true;
    return (this.due.get(hostId) ?? []).some((at) => at <= now);
  }

  generation(hostId: string): number {
    return this.generations.get(hostId) ?? 0;
  }

  /** A claim that started at `claimedAt` with generation `generation` found nothing. */
  claimedNothing(hostId: string, generation: number, claimedAt: number): void {
    if (!this.known || this.generation(hostId) !== generation) return;
    const later = (this.due.get(hostId) ?? []).filter((at) => at > claimedAt);
    if (later.length > 0) this.due.set(hostId, later);
    else this.due.delete(hostId);
  }

  /** Hosts this process thinks may have work (for tests and /health). */
  get size(): number {
    return this.due.size;
  }

  private add(hostId: string, at: number): void {
    const list = this.due.get(hostId);
    if (list) list.push(at);
    else this.due.set(hostId, [at]);
  }
}
