import { ExpositionWriter } from '../exporter/expositionWriter';
import type { PromType } from '../store/naming';

/**
 * Where one metric family sits in a shard's bytes. The header (`# HELP`/`# TYPE`) is
 * [start, bodyStart) and the sample lines are [bodyStart, end), so the merge can take the header
 * of one shard and the bodies of all shards without parsing any text.
 */
export interface FamilySegment {
  name: string;
  /** the TYPE the family was declared with (a PromType; a string so the index is plain data) */
  type: string;
  start: number;
  bodyStart: number;
  end: number;
  /** sample lines in [bodyStart, end) */
  series: number;
}

/**
 * One worker's rendered part of an exposition: plain data (a Uint8Array and plain objects), so it
 * survives postMessage, and `bytes` owns its whole ArrayBuffer so that buffer can be transferred
 * instead of copied.
 */
export interface ShardExposition {
  /** typed on ArrayBuffer (not ArrayBufferLike) so `bytes.buffer` type-checks as a Transferable */
  bytes: Uint8Array<ArrayBuffer>;
  families: FamilySegment[];
  /** the writer's series counter: every sample line written, including any outside a family */
  series: number;
}

/**
 * An ExpositionWriter for a shard worker: renders exactly like the plain writer (pipelines take
 * it as an ExpositionWriter) and also records where each family's header and body start and end,
 * so the main thread can merge several shards' parts into one exposition in which each family is
 * contiguous (mergeExpositions) without re-parsing the text.
 *
 * Offsets come from byteLength, which encodes the batched text at each family() call; that costs
 * one encode per family instead of per ~32 KiB, which is the price of exact byte offsets.
 *
 * Samples written before the first family() call belong to no segment: they stay in `bytes` but
 * mergeExpositions drops them (a pipeline always declares a family before its samples).
 *
 * Built without a ChunkPool: the finished bytes leave the worker, so its chunks are never reused.
 */
export class FamilyIndexWriter extends ExpositionWriter {
  private readonly segments: FamilySegment[] = [];
  /** the family being written, closed by the next family() or finish() */
  private open: FamilySegment | undefined;
  /** the series counter when `open` began its body */
  private openSeries = 0;

  constructor() {
    super();
  }

  override family(name: string, type: PromType, help: string): void {
    this.close();
    const start = this.byteLength;
    super.family(name, type, help);
    this.open = { name, type, start, bodyStart: this.byteLength, end: 0, series: 0 };
    this.openSeries = this.series;
  }

  /**
   * Closes the last family and returns the whole exposition as one contiguous Uint8Array on a
   * fresh ArrayBuffer of exactly its length (byteOffset 0), so the caller can transfer
   * `bytes.buffer`, together with the family index. The writer is done afterwards.
   */
  finish(): ShardExposition {
    this.close();
    const parts = this.buffers();
    let total = 0;
    for (const p of parts) total += p.length;
    // not Buffer.concat: small results would be a view of Node's shared allocation pool,
    // which must not be transferred
    const bytes = new Uint8Array(total);
    let off = 0;
    for (const p of parts) {
      bytes.set(p, off);
      off += p.length;
    }
    return { bytes, families: this.segments.slice(), series: this.series };
  }

  private close(): void {
    const seg = this.open;
    if (!seg) return;
    seg.end = this.byteLength;
    seg.series = this.series - this.openSeries;
    this.segments.push(seg);
    this.open = undefined;
  }
}
