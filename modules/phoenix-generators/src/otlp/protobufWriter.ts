/**
 * A small protobuf encoder for the OTLP messages the replay loader sends. A message is described as a
 * list of fields and encoded in two passes (sizes, then bytes), so the byte offset of any fixed-width
 * field is known and can be patched later without re-encoding (timestamps and values of pre-encoded requests).
 */
export type PbField =
  | { f: number; t: 'varint'; v: number }
  | { f: number; t: 'bool'; v: boolean }
  | { f: number; t: 'fixed64'; v: bigint; mark?: (offset: number) => void }
  | { f: number; t: 'double'; v: number; mark?: (offset: number) => void }
  | { f: number; t: 'string'; v: string }
  | { f: number; t: 'message'; v: PbMessage };

/** An ordered list of fields. */
export type PbMessage = PbField[];

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;

function varintSize(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function tagSize(f: number): number {
  return varintSize(f * 8);
}

/** Encoded size of a message (body only, without its own tag/length). */
function messageSize(msg: PbMessage, sizes: Map<PbMessage, number>): number {
  const cached = sizes.get(msg);
  if (cached !== undefined) return cached;
  let n = 0;
  for (const fld of msg) {
    n += tagSize(fld.f);
    switch (fld.t) {
      case 'varint':
        n += varintSize(fld.v);
        break;
      case 'bool':
        n += 1;
        break;
      case 'fixed64':
      case 'double':
        n += 8;
        break;
      case 'string': {
        const len = Buffer.byteLength(fld.v, 'utf8');
        n += varintSize(len) + len;
        break;
      }
      case 'message': {
        const len = messageSize(fld.v, sizes);
        n += varintSize(len) + len;
        break;
      }
    }
  }
  sizes.set(msg, n);
  return n;
}

/** Encodes a message; `mark` callbacks receive the byte offset of their field's 8-byte value. */
export function encodeMessage(msg: PbMessage): Buffer {
  const sizes = new Map<PbMessage, number>();
  const buf = Buffer.allocUnsafe(messageSize(msg, sizes));
  let pos = 0;
  const writeVarint = (v: number): void => {
    while (v >= 128) {
      buf[pos++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    buf[pos++] = v;
  };
  const write = (m: PbMessage): void => {
    for (const fld of m) {
      switch (fld.t) {
        case 'varint':
          writeVarint(fld.f * 8 + WIRE_VARINT);
          writeVarint(fld.v);
          break;
        case 'bool':
          writeVarint(fld.f * 8 + WIRE_VARINT);
          buf[pos++] = fld.v ? 1 : 0;
          break;
        case 'fixed64':
          writeVarint(fld.f * 8 + WIRE_FIXED64);
          fld.mark?.(pos);
          buf.writeBigUInt64LE(fld.v, pos);
          pos += 8;
          break;
        case 'double':
          writeVarint(fld.f * 8 + WIRE_FIXED64);
          fld.mark?.(pos);
          buf.writeDoubleLE(fld.v, pos);
          pos += 8;
          break;
        case 'string': {
          writeVarint(fld.f * 8 + WIRE_LEN);
          const len = Buffer.byteLength(fld.v, 'utf8');
          writeVarint(len);
          buf.write(fld.v, pos, 'utf8');
          pos += len;
          break;
        }
        case 'message': {
          writeVarint(fld.f * 8 + WIRE_LEN);
          writeVarint(sizes.get(fld.v) ?? 0);
          write(fld.v);
          break;
        }
      }
    }
  };
  write(msg);
  if (pos !== buf.length) throw new Error(`protobuf size mismatch: wrote ${pos} of ${buf.length} bytes`);
  return buf;
}
