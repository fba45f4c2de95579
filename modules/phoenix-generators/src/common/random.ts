/**
 * A seedable pseudo-random source (xoshiro128**, seeded through splitmix32). Everything random in the
 * workload model draws from one of these, so a seed fixes the whole simulation. Not for cryptography.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** true with probability p. */
  chance(p: number): boolean;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Log-normal with median `median` and log-space standard deviation `sigma`. */
  logNormal(median: number, sigma: number): number;
  /** Pareto (type I) with scale `xmin` and shape `alpha`: P(X > x) = (xmin / x)^alpha. */
  pareto(xmin: number, alpha: number): number;
  /** An index drawn with probability proportional to `weights[i]` (all >= 0, sum > 0). */
  weightedIndex(weights: readonly number[]): number;
  /** An independent stream derived from this source's seed and `label` (does not advance this source). */
  fork(label: number | string): Random;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function hashLabel(label: number | string): number {
  const text = String(label);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Creates a random source from a 32-bit seed. */
export function createRandom(seed: number): Random {
  const seedInit = splitmix32(seed);
  let a = seedInit();
  let b = seedInit();
  let c = seedInit();
  let d = seedInit();
  if ((a | b | c | d) === 0) a = 1;
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c = (c ^ t) >>> 0;
    d = rotl(d, 11);
    return result;
  };
  let spareNormal: number | undefined;
  const rng: Random = {
    next: () => nextU32() / 4294967296,
    int: (n) => Math.floor(rng.next() * n),
    uniform: (min, max) => min + (max - min) * rng.next(),
    chance: (p) => rng.next() < p,
    normal: () => {
      if (spareNormal !== undefined) {
        const v = spareNormal;
        spareNormal = undefined;
        return v;
      }
      let u = 0;
      while (u === 0) u = rng.next();
      const v = rng.next();
      const r = Math.sqrt(-2 * Math.log(u));
      spareNormal = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    logNormal: (median, sigma) => median * Math.exp(sigma * rng.normal()),
    pareto: (xmin, alpha) => {
      let u = 0;
      while (u === 0) u = rng.next();
      return xmin / Math.pow(u, 1 / alpha);
    },
    weightedIndex: (weights) => {
      let total = 0;
      for (const w of weights) total += w;
      let x = rng.next() * total;
      for (let i = 0; i < weights.length; i++) {
        x -= weights[i];
        if (x < 0) return i;
      }
      return weights.length - 1;
    },
    fork: (label) => createRandom(hashLabel(`${seed >>> 0}/${String(label)}`)),
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
