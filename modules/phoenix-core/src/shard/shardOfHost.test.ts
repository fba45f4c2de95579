/** Routing by host: FNV-1a 32 of the host text, modulo the number of shards. */
import { fnv1aRef } from '../../test/fnv1a';
import { shardOfHost } from './shardOfHost';

describe('shardOfHost', () => {
  test('is FNV-1a 32 over UTF-16 code units (published test vectors, and an independent reference)', () => {
    // with 2^32 shards the result is the whole hash
    const whole = 2 ** 32;
    expect(shardOfHost('', whole)).toBe(0x811c9dc5);
    expect(shardOfHost('a', whole)).toBe(0xe40c292c);
    expect(shardOfHost('foobar', whole)).toBe(0xbf9cf968);
    expect(shardOfHost('foobar', 7)).toBe(0xbf9cf968 % 7);
    expect(shardOfHost('foobar', 7)).toBe(0);
    expect(shardOfHost('foobar', 6)).toBe(4);
    expect(shardOfHost('a', 7)).toBe(5);
    for (const h of ['web-1', 'db-01.example.com', 'hôte-ü', '主机-7', 'rocket-🚀', '\uffff\u0000']) {
      expect(shardOfHost(h, whole)).toBe(fnv1aRef(h));
      for (let n = 2; n <= 7; n++) expect(shardOfHost(h, n)).toBe(fnv1aRef(h) % n);
    }
  });

  test('is deterministic and in range; one shard or fewer is always shard 0', () => {
    const hosts = ['', 'a', 'web-1', '42', 'x'.repeat(300), '🚀'];
    for (let n = 1; n <= 7; n++) {
      for (const h of hosts) {
        const s = shardOfHost(h, n);
        expect(Number.isInteger(s)).toBe(true);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThan(n);
        expect(shardOfHost(h, n)).toBe(s);
      }
    }
    for (const h of hosts) {
      expect(shardOfHost(h, 1)).toBe(0);
      expect(shardOfHost(h, 0)).toBe(0);
      expect(shardOfHost(h, -3)).toBe(0);
    }
  });

  test('spreads 1000 similar host names evenly over 4 shards', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 1000; i++) counts[shardOfHost(`host-${i}`, 4)]++;
    for (const c of counts) {
      expect(c).toBeGreaterThanOrEqual(150);
      expect(c).toBeLessThanOrEqual(350);
    }
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
  });
});
