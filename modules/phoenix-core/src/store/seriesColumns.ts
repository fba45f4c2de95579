/** Per series, in this order: last seen (clock ms), last point time (ms), start time (ms), value, Σ increases. */
export const COLUMN_COUNT = 5;
const CHUNK_BITS = 16;
const CHUNK_SERIES = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SERIES - 1;

/**
 * The numeric state of every series of a store, in chunks of unboxed doubles indexed by series id.
 * As object fields each double would be a separate 16-byte heap number (V8 does not unbox double
 * fields); here the five cost 40 bytes per series. Ids of expired series are reused.
 */
export class SeriesColumns {
  readonly chunks: Float64Array[] = [];
  private readonly free: number[] = [];
  private next = 0;

  /** A zeroed id. */
  alloc(): number {
    const id = this.free.length > 0 ? (this.free.pop() as number) : this.next++;
    const chunk = id >>> CHUNK_BITS;
    if (chunk === this.chunks.length) this.chunks.push(new Float64Array(CHUNK_SERIES * COLUMN_COUNT));
    this.chunks[chunk].fill(0, (id & CHUNK_MASK) * COLUMN_COUNT, ((id & CHUNK_MASK) + 1) * COLUMN_COUNT);
    return id;
  }

  /** Returns the id of a series that is gone (nothing may read it afterwards). */
  release(id: number): void {
    this.free.push(id);
  }

  get(id: number, column: number): number {
    return this.chunks[id >>> CHUNK_BITS][(id & CHUNK_MASK) * COLUMN_COUNT + column];
  }

  set(id: number, column: number, v: number): void {
    this.chunks[id >>> CHUNK_BITS][(id & CHUNK_MASK) * COLUMN_COUNT + column] = v;
  }

  /** Ids in use. */
  get size(): number {
    return this.next - this.free.length;
  }
}
