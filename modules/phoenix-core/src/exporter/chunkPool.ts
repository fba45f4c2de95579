/**
 * Reusable output chunks for expositions. Rendering 100k series writes ~20 MiB; allocating that
 * afresh on every scrape grows external memory, which makes V8 run full mark-compact collections
 * over the whole series heap (hundreds of ms at 100k+ series). Scrapes instead borrow chunks and
 * give them back once the response is written.
 */
export class ChunkPool {
  private readonly free: Buffer[] = [];
  /** chunks allocated so far (not taken from the pool) */
  allocated = 0;

  constructor(
    /** bytes per chunk */
    readonly chunkBytes = 1 << 20,
    /** idle chunks kept at most (the rest are left to the GC) */
    private readonly maxIdle = 64,
  ) {}

  /** A chunk of at least `minBytes` (pooled when it fits the chunk size). */
  acquire(minBytes = 0): Buffer {
    const pooled = minBytes <= this.chunkBytes ? this.free.pop() : undefined;
    if (pooled) return pooled;
    this.allocated++;
    return Buffer.allocUnsafe(Math.max(minBytes, this.chunkBytes));
  }

  /** Gives back chunks exactly as acquire returned them, each once; odd-sized ones are dropped. */
  release(chunks: readonly Buffer[]): void {
    for (const c of chunks) {
      if (this.free.length >= this.maxIdle) return;
      if (c.length === this.chunkBytes) this.free.push(c);
    }
  }

  get idle(): number {
    return this.free.length;
  }
}
