import { escapeLabelValue } from '../store/labels';
import type { PromType } from '../store/naming';
import type { ChunkPool } from './chunkPool';
import { escapeHelp, formatValue } from './formatValue';

const CHUNK = 1 << 20;
const BATCH = 32 * 1024;

/**
 * Accumulates a Prometheus text exposition (format 0.0.4) directly as UTF-8 bytes in 1 MiB chunks
 * (no giant string to flatten and re-encode), and counts the series (sample lines) it wrote.
 * Pipelines render into it; exporters send the chunks.
 */
export class ExpositionWriter {
  /** completed output, not yet taken (see takeCompleted) */
  private readonly chunks: Buffer[] = [];
  /** the whole chunk each of `chunks` is a view of (what goes back to the pool) */
  private readonly owners: Buffer[] = [];
  private cur: Buffer;
  private off = 0;
  /** text not yet encoded: lines are batched so each encode call handles ~32 KiB */
  private pending = '';
  series = 0;

  /** With a pool, chunks are borrowed from it; call release() once the bytes have been sent. */
  constructor(private readonly pool?: ChunkPool) {
    // a batch (plus the line that overflowed it) must fit a pooled chunk even at 3 bytes per unit
    this.batch = pool ? Math.max(1, Math.min(BATCH, Math.floor(pool.chunkBytes / 6))) : BATCH;
    this.cur = this.take(0);
  }

  private readonly batch: number;

  private take(minBytes: number): Buffer {
    if (!this.pool) return Buffer.allocUnsafe(Math.max(CHUNK, minBytes));
    return this.pool.acquire(minBytes);
  }

  /**
   * Gives the chunks the writer still holds back to the pool (not those handed out by
   * takeCompleted); the buffers returned by buffers() must no longer be used. The writer is done.
   */
  release(): void {
    if (!this.pool) return;
    const owned = this.owners.splice(0);
    this.chunks.length = 0;
    owned.push(this.cur);
    this.cur = Buffer.alloc(0);
    this.off = 0;
    this.pool.release(owned);
  }

  /** Bytes of completed chunks not yet taken. */
  get completedBytes(): number {
    let n = 0;
    for (const c of this.chunks) n += c.length;
    return n;
  }

  /**
   * Hands over the completed chunks, and with `all` the text written so far: `[bytes, chunk]`
   * pairs, where `chunk` (possibly undefined) goes back to the pool (ChunkPool.release) once
   * `bytes` are sent. Lets an exposition be streamed while it is rendered, in bounded memory.
   */
  takeCompleted(all = false): Array<[bytes: Buffer, chunk: Buffer | undefined]> {
    if (all) {
      this.flush();
      if (this.off > 0) {
        this.chunks.push(this.cur.subarray(0, this.off));
        this.owners.push(this.cur);
        this.cur = this.take(0);
        this.off = 0;
      }
    }
    const out: Array<[Buffer, Buffer | undefined]> = this.chunks.map((c, i) => [c, this.pool ? this.owners[i] : undefined]);
    this.chunks.length = 0;
    this.owners.length = 0;
    return out;
  }

  /** Appends text. */
  write(s: string): void {
    this.pending += s;
    if (this.pending.length >= this.batch) this.flush();
  }

  private flush(): void {
    const s = this.pending;
    if (s === '') return;
    this.pending = '';
    // a UTF-8 encoding takes at most 3 bytes per UTF-16 unit
    if (this.off + s.length * 3 > this.cur.length) {
      if (this.off > 0) {
        this.chunks.push(this.cur.subarray(0, this.off));
        this.owners.push(this.cur);
      } else if (this.pool) this.pool.release([this.cur]);
      this.cur = this.take(s.length * 3);
      this.off = 0;
    }
    this.off += this.cur.write(s, this.off, 'utf8');
  }

  family(name: string, type: PromType, help: string): void {
    if (help) this.write(`# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`);
    else this.write(`# TYPE ${name} ${type}\n`);
  }

  /** `labels` is pre-rendered `a="1",b="2"` (may be empty). */
  sample(name: string, labels: string, value: number): void {
    this.write(labels === '' ? `${name} ${formatValue(value)}\n` : `${name}{${labels}} ${formatValue(value)}\n`);
    this.series++;
  }

  histogram(name: string, labels: string, bounds: readonly number[], counts: readonly number[], sum: number, count: number): void {
    const sep = labels === '' ? '' : ',';
    let cum = 0;
    let text = '';
    for (let i = 0; i < bounds.length; i++) {
      cum += counts[i];
      text += `${name}_bucket{${labels}${sep}le="${formatValue(bounds[i])}"} ${formatValue(cum)}\n`;
    }
    text += `${name}_bucket{${labels}${sep}le="+Inf"} ${formatValue(count)}\n`;
    this.write(text);
    this.series += bounds.length + 1;
    this.sample(`${name}_sum`, labels, sum);
    this.sample(`${name}_count`, labels, count);
  }

  summary(name: string, labels: string, quantiles: ReadonlyArray<[number, number]> | undefined, sum: number, count: number): void {
    if (quantiles) {
      const sep = labels === '' ? '' : ',';
      for (const [q, v] of quantiles) {
        this.write(`${name}{${labels}${sep}quantile="${escapeLabelValue(formatValue(q))}"} ${formatValue(v)}\n`);
        this.series++;
      }
    }
    this.sample(`${name}_sum`, labels, sum);
    this.sample(`${name}_count`, labels, count);
  }

  /** The exposition as byte chunks (for sending without a copy). */
  buffers(): Buffer[] {
    this.flush();
    return this.off > 0 ? [...this.chunks, this.cur.subarray(0, this.off)] : [...this.chunks];
  }

  get byteLength(): number {
    this.flush();
    let n = this.off;
    for (const c of this.chunks) n += c.length;
    return n;
  }

  toString(): string {
    return Buffer.concat(this.buffers()).toString('utf8');
  }
}
