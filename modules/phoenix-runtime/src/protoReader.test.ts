import { expectWire, forEachField, ProtobufDecodeError, ProtoReader } from './protoReader';

const bytes = (...b: number[]): Buffer => Buffer.from(b);

describe('ProtoReader', () => {
  it('reads varints of 32 and 64 bits, zig-zag and bools', () => {
    expect(new ProtoReader(bytes(0xac, 0x02)).uint32()).toBe(300);
    expect(new ProtoReader(bytes(0xff, 0xff, 0xff, 0xff, 0x0f)).uint32()).toBe(4294967295);
    expect(new ProtoReader(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x08)).uint64()).toBe(2 ** 52);
    const minusOne = bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    expect(new ProtoReader(minusOne).int64Big()).toBe(-1n);
    expect(new ProtoReader(bytes(0x03)).sint32()).toBe(-2);
    expect(new ProtoReader(bytes(0x01)).bool()).toBe(true);
  });

  it('reads fixed-width fields, doubles and strings', () => {
    const b = Buffer.alloc(8 + 8 + 4);
    b.writeBigUInt64LE(2n ** 40n + 5n, 0);
    b.writeDoubleLE(1.5, 8);
    b.writeUInt32LE(7, 16);
    const r = new ProtoReader(b);
    expect(r.fixed64()).toBe(2 ** 40 + 5);
    expect(r.double()).toBe(1.5);
    expect(r.fixed32()).toBe(7);
    expect(r.eof()).toBe(true);
    expect(new ProtoReader(Buffer.concat([bytes(2), Buffer.from('hi')])).string()).toBe('hi');
    const neg = Buffer.alloc(8);
    neg.writeBigInt64LE(-3n);
    expect(new ProtoReader(neg).sfixed64()).toBe(-3);
    expect(new ProtoReader(neg).sfixed64Big()).toBe(-3n);
  });

  it('refuses truncated and malformed input with ProtobufDecodeError', () => {
    expect(() => new ProtoReader(bytes(0x80)).uint32()).toThrow(new ProtobufDecodeError('truncated varint'));
    expect(() => new ProtoReader(bytes(...new Array<number>(11).fill(0x80))).uint64()).toThrow('varint longer than 10 bytes');
    expect(() => new ProtoReader(bytes(1, 2, 3)).double()).toThrow('truncated fixed-width field');
    expect(() => new ProtoReader(bytes(5, 1)).delimited()).toThrow('truncated length-delimited field');
    expect(() => new ProtoReader(bytes()).skip(3)).toThrow('unsupported wire type 3');
    expect(() => expectWire(4, 0, 2)).toThrow('field 4 has wire type 0, expected 2');
  });

  it('forEachField walks a message and skips what the callback does not read', () => {
    // field 1 varint 150, field 2 string "ab", field 3 fixed32, field 4 fixed64
    const msg = Buffer.concat([bytes(0x08, 0x96, 0x01), bytes(0x12, 2), Buffer.from('ab'), bytes(0x1d, 1, 0, 0, 0), bytes(0x21, 0, 0, 0, 0, 0, 0, 0, 0)]);
    const seen: Array<[number, number, unknown]> = [];
    const r = forEachField(new ProtoReader(msg), (field, wire, rd) => {
      if (field === 1) seen.push([field, wire, rd.uint32()]);
      else if (field === 2) seen.push([field, wire, rd.string()]);
      else seen.push([field, wire, null]);
    });
    expect(seen).toEqual([
      [1, 0, 150],
      [2, 2, 'ab'],
      [3, 5, null],
      [4, 1, null],
    ]);
    expect(r.eof()).toBe(true);
  });

  it('next() splits each tag into field and wire type; expect() and skipField() act on the field it read', () => {
    // field 1 varint 150, field 2 string "ab", field 15 fixed64
    const msg = Buffer.concat([bytes(0x08, 0x96, 0x01), bytes(0x12, 2), Buffer.from('ab'), bytes(0x79, 0, 0, 0, 0, 0, 0, 0, 0)]);
    const r = new ProtoReader(msg);
    const seen: Array<[number, number, unknown]> = [];
    while (!r.eof()) {
      switch (r.next()) {
        case 1:
          r.expect(0);
          seen.push([r.field, r.wireType, r.uint32()]);
          break;
        case 2:
          r.expect(2);
          seen.push([r.field, r.wireType, r.string()]);
          break;
        default:
          seen.push([r.field, r.wireType, null]);
          r.skipField();
      }
    }
    expect(seen).toEqual([
      [1, 0, 150],
      [2, 2, 'ab'],
      [15, 1, null],
    ]);
    const wrong = new ProtoReader(bytes(0x22, 0));
    expect(wrong.next()).toBe(4);
    expect(() => wrong.expect(0)).toThrow(new ProtobufDecodeError('field 4 has wire type 2, expected 0'));
    const group = new ProtoReader(bytes(0x0b));
    group.next();
    expect(() => group.skipField()).toThrow('unsupported wire type 3');
  });

  it('a sub-reader stops at the end of its field', () => {
    const r = new ProtoReader(bytes(2, 0x08, 0x01, 0x08, 0x02));
    const sub = r.sub();
    expect(sub.uint32()).toBe(8);
    expect(sub.uint32()).toBe(1);
    expect(sub.eof()).toBe(true);
    expect(r.uint32()).toBe(8);
  });
});
