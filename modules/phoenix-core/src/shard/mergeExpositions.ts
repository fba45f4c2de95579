import type { ShardExposition } from './familyIndexWriter';

/** A family of the merged output: the header of its first shard, then every agreeing body. */
interface MergedFamily {
  type: string;
  chunks: Buffer[];
}

/**
 * Merges shards' parts (FamilyIndexWriter.finish) into one valid exposition: Prometheus requires
 * all lines of a family under a single TYPE, contiguously, but shards render the same families
 * independently. Families come in order of first appearance (shard 0's in its order, then those
 * new in shard 1, …); each gets the header of the first shard that has it, then the bodies of all
 * shards that have it, in shard order.
 *
 * A family occurrence whose TYPE differs from the first occurrence's cannot share its header: its
 * body is left out and its name is reported in `conflicts` (once per such occurrence). `series`
 * counts the merged sample lines only. Bytes outside any family segment (samples written before
 * a shard's first family) are dropped.
 *
 * Zero-copy: the chunks are views of the parts' ArrayBuffers, so the parts must stay untouched
 * until the chunks are sent.
 */
export function mergeExpositions(parts: readonly ShardExposition[]): { chunks: Buffer[]; series: number; conflicts: string[] } {
  const families = new Map<string, MergedFamily>();
  const conflicts: string[] = [];
  let series = 0;
  for (const part of parts) {
    const { buffer, byteOffset } = part.bytes;
    const view = (from: number, to: number): Buffer => Buffer.from(buffer, byteOffset + from, to - from);
    for (const seg of part.families) {
      let fam = families.get(seg.name);
      if (!fam) {
        fam = { type: seg.type, chunks: [] };
        families.set(seg.name, fam);
        if (seg.bodyStart > seg.start) fam.chunks.push(view(seg.start, seg.bodyStart));
      } else if (fam.type !== seg.type) {
        conflicts.push(seg.name);
        continue;
      }
      if (seg.end > seg.bodyStart) fam.chunks.push(view(seg.bodyStart, seg.end));
      series += seg.series;
    }
  }
  const chunks: Buffer[] = [];
  for (const fam of families.values()) for (const c of fam.chunks) chunks.push(c);
  return { chunks, series, conflicts };
}
