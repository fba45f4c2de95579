import type { Attr } from '../otlp/model';
import { pairsRawKey, rawKeyAttributes } from './rawAttributes';

/** KeyValue (field 7) bytes of attributes with string values, as an OTLP exporter writes them. */
function protobufAttrs(attrs: Attr[]): string {
  const parts: Buffer[] = [];
  const len = (n: number): Buffer => Buffer.from([n]); // every test string is < 128 bytes
  for (const [k, v] of attrs) {
    const key = Buffer.from(k);
    const val = Buffer.from(v);
    const any = Buffer.concat([Buffer.from([0x0a]), len(val.length), val]);
    const kv = Buffer.concat([Buffer.from([0x0a]), len(key.length), key, Buffer.from([0x12]), len(any.length), any]);
    parts.push(Buffer.from([0x3a]), len(kv.length), kv);
  }
  return Buffer.concat(parts).toString('latin1');
}

describe('raw attribute keys', () => {
  const cases: Attr[][] = [
    [],
    [['a', 'b']],
    [['process.pid', '42'], ['state', 'user']],
    [['12:3', '4:56'], ['', ''], ['k', ':']],
    [['a\u0001b', 'c'], ['x', '\u0000']],
    [['ünï', 'cödé ☃'], ['dup', '1'], ['dup', '2']],
  ];

  test.each(cases.map((c) => [JSON.stringify(c), c] as const))('decoded pairs %s come back exactly, in order', (_name, attrs) => {
    expect(rawKeyAttributes(pairsRawKey(attrs))).toEqual(attrs.flat());
  });

  test.each(cases.map((c) => [JSON.stringify(c), c] as const))('protobuf bytes %s decode to the same pairs', (_name, attrs) => {
    const raw = protobufAttrs(attrs);
    if (attrs.length > 0) expect(raw.charCodeAt(0)).not.toBe(2);
    expect(rawKeyAttributes(raw)).toEqual(attrs.flat());
  });

  test('different attribute lists never share a key (separators inside keys and values)', () => {
    const lists: Attr[][] = [
      [['a\u0001b', 'c']],
      [['a', 'b\u0001c']],
      [['a', 'b'], ['c', 'd']],
      [['a', 'b\u0000c\u0001d']],
      [['1:a', '']],
      [['', 'a']],
      [['a', ''], ['', '']],
      [['a', '']],
    ];
    const keys = lists.map(pairsRawKey);
    expect(new Set(keys).size).toBe(lists.length);
  });
});
