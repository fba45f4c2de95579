import { ProtoReader } from '@phoenix/runtime';
import { doubleToLabel, structuredToLabel, type JsonAnyValue } from './anyValue';
import type { Attr } from './model';

const VARINT = 0;
const I64 = 1;
const LEN = 2;

/** Decodes the KeyValue fields numbered `field` in [start, end) of a message (lazy attributes). */
export function decodeAttributeFields(buf: Buffer, start: number, end: number, field: number): Attr[] {
  const r = new ProtoReader(buf, start, end);
  const out: Attr[] = [];
  while (!r.eof()) {
    if (r.next() === field) {
      r.expect(LEN);
      out.push(readKeyValue(r.sub()));
    } else r.skipField();
  }
  return out;
}

/** KeyValue → [key, label value]. */
export function readKeyValue(r: ProtoReader): Attr {
  let key = '';
  let value = '';
  while (!r.eof()) {
    const field = r.next();
    if (field === 1) {
      r.expect(LEN);
      key = r.string();
    } else if (field === 2) {
      r.expect(LEN);
      const v = readAnyValue(r.sub());
      value = v === null ? '' : typeof v === 'string' ? v : structuredToLabel(v);
    } else r.skipField();
  }
  return [key, value];
}

/**
 * AnyValue as a JSON-able value; int64 values are exact (kept as their decimal text when they
 * exceed the double range, marked by returning a string).
 */
function readAnyValue(r: ProtoReader): JsonAnyValue {
  let out: JsonAnyValue = null;
  while (!r.eof()) {
    switch (r.next()) {
      case 1:
        r.expect(LEN);
        out = r.string();
        break;
      case 2:
        r.expect(VARINT);
        out = r.bool() ? 'true' : 'false';
        break;
      case 3:
        r.expect(VARINT);
        out = r.int64Big().toString();
        break;
      case 4:
        r.expect(I64);
        out = doubleToLabel(r.double());
        break;
      case 5:
        r.expect(LEN);
        out = readArrayValue(r.sub());
        break;
      case 6:
        r.expect(LEN);
        out = readKvlistValue(r.sub());
        break;
      case 7: {
        r.expect(LEN);
        const [s, e] = r.delimited();
        out = r.buf.toString('base64', s, e);
        break;
      }
      default:
        r.skipField();
    }
  }
  return out;
}

/** ArrayValue: its values (field 1). */
function readArrayValue(s: ProtoReader): JsonAnyValue[] {
  const arr: JsonAnyValue[] = [];
  while (!s.eof()) {
    if (s.next() === 1) {
      s.expect(LEN);
      arr.push(readAnyValueNative(s.sub()));
    } else s.skipField();
  }
  return arr;
}

/** KeyValueList: its KeyValues (field 1), values keeping their native JSON types. */
function readKvlistValue(s: ProtoReader): { [k: string]: JsonAnyValue } {
  const obj: { [k: string]: JsonAnyValue } = {};
  while (!s.eof()) {
    if (s.next() === 1) {
      s.expect(LEN);
      const kv = s.sub();
      let k = '';
      let v: JsonAnyValue = null;
      while (!kv.eof()) {
        const f = kv.next();
        if (f === 1) {
          kv.expect(LEN);
          k = kv.string();
        } else if (f === 2) {
          kv.expect(LEN);
          v = readAnyValueNative(kv.sub());
        } else kv.skipField();
      }
      obj[k] = v;
    } else s.skipField();
  }
  return obj;
}

/** AnyValue nested in an array or map: keeps native JSON types (numbers, booleans). */
function readAnyValueNative(r: ProtoReader): JsonAnyValue {
  // peek the field number of the (last) oneof member
  let field = 0;
  const probe = new ProtoReader(r.buf, r.pos, r.end);
  while (!probe.eof()) {
    field = probe.next();
    probe.skipField();
  }
  const v = readAnyValue(r);
  if (typeof v !== 'string') return v;
  if (field === 2) return v === 'true';
  if (field === 3) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  if (field === 4) {
    const n = Number(v);
    return Number.isFinite(n) ? n : v;
  }
  return v;
}
