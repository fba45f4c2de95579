import { ExpositionWriter } from '../exporter/expositionWriter';
import type { PromType } from '../store/naming';
import { FamilyIndexWriter, type ShardExposition } from './familyIndexWriter';
import { mergeExpositions } from './mergeExpositions';
import { mulberry32 } from '../../test/workload';

function text(parts: readonly ShardExposition[]): string {
  return Buffer.concat(mergeExpositions(parts).chunks).toString('utf8');
}

describe('mergeExpositions', () => {
  it('groups each family under one header, bodies in shard order', () => {
    const w0 = new FamilyIndexWriter();
    w0.family('a', 'counter', 'A total');
    w0.sample('a', 's="0"', 1);
    w0.family('c', 'histogram', 'C hist');
    w0.histogram('c', 'k="v"', [1, 5], [2, 3], 7.5, 6);
    const w1 = new FamilyIndexWriter();
    w1.family('a', 'counter', 'A total');
    w1.sample('a', 's="1"', 2);
    w1.family('b', 'gauge', 'B');
    w1.sample('b', '', 3);

    const parts = [w0.finish(), w1.finish()];
    const merged = mergeExpositions(parts);
    expect(Buffer.concat(merged.chunks).toString('utf8')).toBe(
      '# HELP a A total\n' +
        '# TYPE a counter\n' +
        'a{s="0"} 1\n' +
        'a{s="1"} 2\n' +
        '# HELP c C hist\n' +
        '# TYPE c histogram\n' +
        'c_bucket{k="v",le="1"} 2\n' +
        'c_bucket{k="v",le="5"} 5\n' +
        'c_bucket{k="v",le="+Inf"} 6\n' +
        'c_sum{k="v"} 7.5\n' +
        'c_count{k="v"} 6\n' +
        '# HELP b B\n' +
        '# TYPE b gauge\n' +
        'b 3\n',
    );
    expect(merged.series).toBe(8);
    expect(merged.conflicts).toEqual([]);
    // zero-copy: every chunk is a view of one of the parts' buffers
    for (const c of merged.chunks) expect(parts.some((p) => p.bytes.buffer === c.buffer)).toBe(true);
  });

  it('indexes each family with exact offsets and series', () => {
    const w = new FamilyIndexWriter();
    w.family('m', 'summary', 'sum\u00e9');
    w.summary('m', 'x="\u4e2d"', [[0.5, 1], [0.9, 2]], 3, 4);
    w.family('n', 'gauge', '');
    const exp = w.finish();
    expect(exp.bytes.byteOffset).toBe(0);
    expect(exp.bytes.byteLength).toBe(exp.bytes.buffer.byteLength);
    expect(exp.series).toBe(4);
    const slice = (a: number, b: number): string => Buffer.from(exp.bytes.buffer, a, b - a).toString('utf8');
    expect(exp.families.map((f) => [f.name, f.type, f.series])).toEqual([
      ['m', 'summary', 4],
      ['n', 'gauge', 0],
    ]);
    const [m, n] = exp.families;
    expect(m.start).toBe(0);
    expect(slice(m.start, m.bodyStart)).toBe('# HELP m sum\u00e9\n# TYPE m summary\n');
    expect(slice(m.bodyStart, m.end)).toBe(
      'm{x="\u4e2d",quantile="0.5"} 1\nm{x="\u4e2d",quantile="0.9"} 2\nm_sum{x="\u4e2d"} 3\nm_count{x="\u4e2d"} 4\n',
    );
    expect(n.start).toBe(m.end);
    expect(slice(n.start, n.bodyStart)).toBe('# TYPE n gauge\n');
    expect(n.end).toBe(n.bodyStart);
    expect(n.end).toBe(exp.bytes.byteLength);
  });

  it('keeps offsets right when a shard spans several 1 MiB writer chunks', () => {
    const lines = (w: ExpositionWriter, fam: string, shard: number): void => {
      for (let i = 0; i < 8000; i++) w.sample(fam, `shard="${shard}",i="${i}",pad="${'\u4e2d'.repeat(20)}"`, i);
    };
    const shards = [0, 1].map((s) => {
      const w = new FamilyIndexWriter();
      for (const fam of ['p', 'q', 'r']) {
        w.family(fam, 'gauge', `help ${fam}`);
        lines(w, fam, s);
      }
      return w;
    });
    expect(shards[0].byteLength).toBeGreaterThan(2 * (1 << 20));
    const ref = new ExpositionWriter();
    for (const fam of ['p', 'q', 'r']) {
      ref.family(fam, 'gauge', `help ${fam}`);
      lines(ref, fam, 0);
      lines(ref, fam, 1);
    }
    const merged = mergeExpositions(shards.map((w) => w.finish()));
    expect(Buffer.concat(merged.chunks).toString('utf8')).toBe(ref.toString());
    expect(merged.series).toBe(6 * 8000);
  });

  it('leaves out a family occurrence whose TYPE conflicts with the first', () => {
    const w0 = new FamilyIndexWriter();
    w0.family('x', 'gauge', 'X');
    w0.sample('x', 'i="0"', 1);
    w0.sample('x', 'i="1"', 2);
    const w1 = new FamilyIndexWriter();
    w1.family('x', 'counter', 'X');
    w1.sample('x', 'i="2"', 3);
    w1.family('y', 'gauge', 'Y');
    w1.sample('y', '', 4);

    const merged = mergeExpositions([w0.finish(), w1.finish()]);
    expect(Buffer.concat(merged.chunks).toString('utf8')).toBe(
      '# HELP x X\n# TYPE x gauge\nx{i="0"} 1\nx{i="1"} 2\n# HELP y Y\n# TYPE y gauge\ny 4\n',
    );
    expect(merged.conflicts).toEqual(['x']);
    expect(merged.series).toBe(3);
  });

  it('keeps escaped HELP text and families without HELP', () => {
    const help = 'back\\slash and\nnewline \u00e9';
    const w0 = new FamilyIndexWriter();
    w0.family('h', 'gauge', help);
    w0.sample('h', 'a="1"', 1);
    w0.family('nohelp', 'counter', '');
    w0.sample('nohelp', '', 5);
    const w1 = new FamilyIndexWriter();
    w1.family('nohelp', 'counter', '');
    w1.sample('nohelp', 'z="\\"q\\""', 6);
    w1.family('h', 'gauge', help);
    w1.sample('h', 'a="2"', 2);

    expect(text([w0.finish(), w1.finish()])).toBe(
      '# HELP h back\\\\slash and\\nnewline \u00e9\n# TYPE h gauge\nh{a="1"} 1\nh{a="2"} 2\n' +
        '# TYPE nohelp counter\nnohelp 5\nnohelp{z="\\"q\\""} 6\n',
    );
  });

  it('drops samples written before any family, and merges nothing from nothing', () => {
    const w = new FamilyIndexWriter();
    w.sample('orphan', '', 1);
    w.family('f', 'gauge', 'F');
    w.sample('f', '', 2);
    const exp = w.finish();
    expect(exp.series).toBe(2);
    const merged = mergeExpositions([exp]);
    expect(Buffer.concat(merged.chunks).toString('utf8')).toBe('# HELP f F\n# TYPE f gauge\nf 2\n');
    expect(merged.series).toBe(1);

    expect(mergeExpositions([])).toEqual({ chunks: [], series: 0, conflicts: [] });
    const empty = new FamilyIndexWriter().finish();
    expect(empty.bytes.byteLength).toBe(0);
    expect(empty.families).toEqual([]);
    expect(mergeExpositions([empty, empty])).toEqual({ chunks: [], series: 0, conflicts: [] });
  });

  it('survives a structured clone that transfers the bytes', () => {
    const w0 = new FamilyIndexWriter();
    w0.family('a', 'counter', 'A');
    w0.sample('a', 's="0"', 1);
    const w1 = new FamilyIndexWriter();
    w1.family('a', 'counter', 'A');
    w1.sample('a', 's="1"', 2);
    w1.family('b', 'gauge', '');
    w1.sample('b', '', 3);
    const parts = [w0.finish(), w1.finish()];
    const before = mergeExpositions(parts);
    const expected = Buffer.concat(before.chunks).toString('utf8');

    const cloned = parts.map((exp) => structuredClone(exp, { transfer: [exp.bytes.buffer] }));
    // the originals were moved, not copied
    for (const p of parts) expect(p.bytes.byteLength).toBe(0);
    const after = mergeExpositions(cloned);
    expect(Buffer.concat(after.chunks).toString('utf8')).toBe(expected);
    expect(after.series).toBe(before.series);
    expect(after.series).toBe(3);
    expect(after.conflicts).toEqual([]);
  });

  it('matches a single writer fed the same families grouped (seeded random shards)', () => {
    const rand = mulberry32(0x5eed);
    const int = (n: number): number => Math.floor(rand() * n);
    const types: PromType[] = ['counter', 'gauge', 'histogram', 'summary'];
    const helps = ['', 'plain', 'with \\ backslash', 'multi\nline', 'unicode \u00e9\u4e2d\ud83d\ude00'];

    for (let round = 0; round < 200; round++) {
      const shardCount = 1 + int(4);
      const families = Array.from({ length: int(12) }, (_, f) => ({
        name: `fam_${f}`,
        type: types[int(types.length)],
        help: helps[int(helps.length)],
        // each family is in a random non-empty subset of shards
        shards: Array.from({ length: shardCount }, () => rand() < 0.6),
      }));
      for (const fam of families) if (!fam.shards.some(Boolean)) fam.shards[int(shardCount)] = true;

      // each shard writes its families in its own random order, each with its own disjoint samples
      const samples = new Map<string, Array<(w: ExpositionWriter) => void>>(); // key: shard/family
      const writers = Array.from({ length: shardCount }, () => new FamilyIndexWriter());
      const orders: string[][] = [];
      for (let s = 0; s < shardCount; s++) {
        const mine = shuffle(families.filter((f) => f.shards[s]), int);
        orders.push(mine.map((f) => f.name));
        for (const fam of mine) {
          const body = Array.from({ length: int(6) }, (_, i) => sampleOf(fam.name, fam.type, `shard="${s}",i="${i}",u="\u00e9"`, int));
          samples.set(`${s}/${fam.name}`, body);
          writers[s].family(fam.name, fam.type, fam.help);
          for (const write of body) write(writers[s]);
        }
      }
      const parts = writers.map((w) => w.finish());
      const merged = mergeExpositions(parts);

      // reference: families in order of first appearance, each body in shard order
      const ref = new ExpositionWriter();
      const seen = new Set<string>();
      for (const order of orders) {
        for (const name of order) {
          if (seen.has(name)) continue;
          seen.add(name);
          const fam = families.find((f) => f.name === name)!;
          ref.family(fam.name, fam.type, fam.help);
          for (let s = 0; s < shardCount; s++) for (const write of samples.get(`${s}/${name}`) ?? []) write(ref);
        }
      }
      expect(Buffer.concat(merged.chunks).toString('utf8')).toBe(ref.toString());
      expect(merged.series).toBe(ref.series);
      expect(merged.series).toBe(parts.reduce((n, p) => n + p.series, 0));
      expect(merged.conflicts).toEqual([]);
      expect(merged.chunks.every((c) => c.length > 0)).toBe(true);
    }
  });
});

/** One randomly valued sample line (or histogram/summary group) of a family of `type`; all randomness is drawn now, so replaying gives the same lines. */
function sampleOf(name: string, type: PromType, labels: string, int: (n: number) => number): (w: ExpositionWriter) => void {
  const v = int(1000) / 4;
  switch (type) {
    case 'histogram': {
      const bounds = [0.1, 1, 10].slice(0, 1 + int(3));
      const counts = bounds.map(() => int(5));
      const count = counts.reduce((a, b) => a + b, 0) + int(3);
      return (w) => w.histogram(name, labels, bounds, counts, v, count);
    }
    case 'summary': {
      const quantiles: Array<[number, number]> | undefined = int(2) === 0 ? undefined : [[0.5, v], [0.99, v * 2]];
      const count = int(10);
      return (w) => w.summary(name, labels, quantiles, v, count);
    }
    default: {
      const l = int(4) === 0 ? '' : labels;
      const value = int(20) === 0 ? Infinity : v;
      return (w) => w.sample(name, l, value);
    }
  }
}

function shuffle<T>(xs: T[], int: (n: number) => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

