/** FNV-1a 32 reference, formulated independently: BigInt arithmetic modulo 2^32. */
export function fnv1aRef(s: string): number {
  let h = 2166136261n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * 16777619n) % 4294967296n;
  }
  return Number(h);
}
