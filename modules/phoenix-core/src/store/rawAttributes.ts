import type { Attr } from '../otlp/model';
import { decodeAttributeFields } from '../otlp/protobufAttributes';

/**
 * The raw key of a point's attributes: how the store finds a known series without decoding or
 * labelling its attributes. Protobuf points keep their NumberDataPoint.attributes bytes as a latin1
 * string (they begin with a field tag, never 0x02); decoded attributes are written as `\u0002` then,
 * per pair, `<key length>:<key><value length>:<value>` (length-prefixed, so unambiguous).
 */
export function pairsRawKey(attrs: readonly Attr[]): string {
  let raw = '\u0002';
  for (const [k, v] of attrs) raw += `${k.length}:${k}${v.length}:${v}`;
  return raw;
}

/**
 * The key of a flat `[key, value, …]` resource attribute list (the allow-listed ones), written the
 * same unambiguous way: the first level of Family.byRaw.
 */
export function resourceKey(flat: readonly string[]): string {
  let key = '';
  for (let i = 0; i < flat.length; i += 2) key += `${flat[i].length}:${flat[i]}${flat[i + 1].length}:${flat[i + 1]}`;
  return key;
}

/** The attributes a raw key stands for, flat `[key, value, …]` in their original order. */
export function rawKeyAttributes(raw: string): string[] {
  const out: string[] = [];
  if (raw.charCodeAt(0) === 2) {
    let i = 1;
    while (i < raw.length) {
      const k = readPrefixed(raw, i);
      const v = readPrefixed(raw, k[1]);
      out.push(k[0], v[0]);
      i = v[1];
    }
    return out;
  }
  const buf = Buffer.from(raw, 'latin1');
  for (const [k, v] of decodeAttributeFields(buf, 0, buf.length, 7)) out.push(k, v);
  return out;
}

function readPrefixed(raw: string, at: number): [string, number] {
  const colon = raw.indexOf(':', at);
  const len = Number(raw.slice(at, colon));
  return [raw.slice(colon + 1, colon + 1 + len), colon + 1 + len];
}
