/**
 * The shard that owns a host: FNV-1a (32-bit) over the UTF-16 code units of `host`, modulo
 * `shards`. Every (host, metric) group must be computed in one shard, so this must stay a pure,
 * stable function of the host text (the same text the store sees as the host label); FNV-1a is
 * cheap on the short strings hosts are and spreads similar names (`host-1`, `host-2`) well.
 * Returns 0 when there is at most one shard.
 */
export function shardOfHost(host: string, shards: number): number {
  if (shards <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < host.length; i++) {
    h ^= host.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}
