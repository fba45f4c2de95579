import { InvalidInputError } from './errors';

/** Truncated or malformed protobuf: permanent (400 / INVALID_ARGUMENT). */
export class ProtobufDecodeError extends InvalidInputError {
  constructor(message: string) {
    super(message, 'invalid_protobuf');
    this.name = 'ProtobufDecodeError';
  }
}

const TWO_32 = 4294967296;

/**
 * A minimal protobuf wire-format reader over one buffer. Every read is bounds-checked and
 * throws ProtobufDecodeError (an InvalidInputError) on truncated or malformed input, never reads past `end`.
 */
export class ProtoReader {
  pos: number;
  /** the field number of the tag last read by {@link next} */
  field = 0;
  /** the wire type of the tag last read by {@link next} */
  wireType = 0;
  constructor(
    readonly buf: Buffer,
    start = 0,
    public end = buf.length,
  ) {
    this.pos = start;
  }

  eof(): boolean {
    return this.pos >= this.end;
  }

  /** The next field's tag: `tag >>> 3` is the field number, `tag & 7` the wire type. */
  tag(): number {
    return this.uint32();
  }

  /**
   * Reads the next field's tag and returns its field number; `field` and `wireType` hold both until
   * the next call (for {@link expect} and {@link skipField}). The one tag split of a hand-written
   * decoder's loop, without a callback per field: `while (!r.eof()) switch (r.next()) { ... }`.
   */
  next(): number {
    const tag = this.uint32();
    this.wireType = tag & 7;
    this.field = tag >>> 3;
    return this.field;
  }

  /** Checks that the field {@link next} read has the wire type the schema declares; else malformed input. */
  expect(wireType: number): void {
    if (this.wireType !== wireType) throw new ProtobufDecodeError(`field ${this.field} has wire type ${this.wireType}, expected ${wireType}`);
  }

  /** Skips the value of the field {@link next} read (unknown fields). */
  skipField(): void {
    this.skip(this.wireType);
  }

  /** A varint that must fit in 32 bits (tags, lengths, enums, uint32, int32). */
  uint32(): number {
    const buf = this.buf;
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufDecodeError('truncated varint');
      const b = buf[this.pos++];
      if (shift < 32) result |= (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) === 0) return result >>> 0;
    }
    throw new ProtobufDecodeError('varint longer than 10 bytes');
  }

  /** A 64-bit varint as an unsigned number (exact up to 2^53). */
  uint64(): number {
    const buf = this.buf;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufDecodeError('truncated varint');
      const b = buf[this.pos++];
      result += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) return result;
    }
    throw new ProtobufDecodeError('varint longer than 10 bytes');
  }

  /** A 64-bit varint as a signed BigInt (int64), exact. */
  int64Big(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufDecodeError('truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) return BigInt.asIntN(64, result);
    }
    throw new ProtobufDecodeError('varint longer than 10 bytes');
  }

  /** zig-zag encoded sint32 */
  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  bool(): boolean {
    return this.uint64() !== 0;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new ProtobufDecodeError('truncated fixed-width field');
  }

  /** fixed64 as an unsigned number (exact up to 2^53). */
  fixed64(): number {
    this.need(8);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return hi * TWO_32 + lo;
  }

  /** sfixed64 as a signed number (exact up to 2^53 in magnitude). */
  sfixed64(): number {
    this.need(8);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readInt32LE(this.pos + 4);
    this.pos += 8;
    return hi * TWO_32 + lo;
  }

  /** sfixed64 as an exact BigInt */
  sfixed64Big(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  double(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  fixed32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Reads a length prefix and returns the [start, end) of the delimited bytes, advancing past them. */
  delimited(): [number, number] {
    const len = this.uint32();
    const start = this.pos;
    const end = start + len;
    if (end > this.end) throw new ProtobufDecodeError('truncated length-delimited field');
    this.pos = end;
    return [start, end];
  }

  string(): string {
    const [s, e] = this.delimited();
    return this.buf.toString('utf8', s, e);
  }

  /** Skips a field of the given wire type. Groups (3, 4) and the invalid types 6 and 7 are refused. */
  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.uint64();
        return;
      case 1:
        this.need(8);
        this.pos += 8;
        return;
      case 2:
        this.delimited();
        return;
      case 5:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new ProtobufDecodeError(`unsupported wire type ${wireType}`);
    }
  }

  /** A sub-reader over a length-delimited field. */
  sub(): ProtoReader {
    const [s, e] = this.delimited();
    return new ProtoReader(this.buf, s, e);
  }
}

/** Checks that a field has the wire type the schema declares; mismatches are malformed input. */
export function expectWire(field: number, actual: number, expected: number): void {
  if (actual !== expected) {
    throw new ProtobufDecodeError(`field ${field} has wire type ${actual}, expected ${expected}`);
  }
}

/**
 * Calls `onField(field, wireType, reader)` for every field of the message in `r` (up to its end);
 * the callback reads the value or calls `r.skip(wireType)`. Returns the reader, positioned at the end.
 */
export function forEachField(r: ProtoReader, onField: (field: number, wireType: number, r: ProtoReader) => void): ProtoReader {
  while (!r.eof()) {
    const tag = r.uint32();
    const before = r.pos;
    onField(tag >>> 3, tag & 7, r);
    if (r.pos === before) r.skip(tag & 7);
  }
  return r;
}
