import { encodeExportResponse, encodeStatus } from '@phoenix/testkit';
import { ProtobufDecodeError } from '@phoenix/runtime';
import { decodeExportResponse, decodeStatusMessage } from './decodeExportResponse';
import { encodeMessage } from './protobufWriter';

describe('OTLP response decoding (the runtime ProtoReader)', () => {
  test('decodes partial_success as the reference codec encodes it', () => {
    const buf = Buffer.from(encodeExportResponse({ partialSuccess: { rejectedDataPoints: 12345678901, errorMessage: 'too old' } }));
    expect(decodeExportResponse(buf)).toEqual({ rejectedDataPoints: 12345678901, errorMessage: 'too old' });
    expect(decodeExportResponse(Buffer.from(encodeExportResponse({})))).toBeUndefined();
    expect(decodeExportResponse(Buffer.alloc(0))).toBeUndefined();
  });

  test('skips unknown fields and fields of another wire type', () => {
    const buf = encodeMessage([
      { f: 7, t: 'string', v: 'future field' },
      { f: 1, t: 'message', v: [{ f: 1, t: 'varint', v: 3 }, { f: 2, t: 'varint', v: 9 }, { f: 9, t: 'double', v: 1.5 }, { f: 2, t: 'string', v: 'late' }] },
    ]);
    expect(decodeExportResponse(buf)).toEqual({ rejectedDataPoints: 3, errorMessage: 'late' });
  });

  test('truncated bytes throw a ProtobufDecodeError (an invalid-input error)', () => {
    const buf = Buffer.from(encodeExportResponse({ partialSuccess: { rejectedDataPoints: 5, errorMessage: 'too old' } }));
    expect(() => decodeExportResponse(buf.subarray(0, buf.length - 2))).toThrow(ProtobufDecodeError);
    expect(() => decodeExportResponse(buf.subarray(0, buf.length - 2))).toThrow('truncated length-delimited field');
  });

  test('reads a google.rpc.Status message', () => {
    expect(decodeStatusMessage(Buffer.from(encodeStatus({ code: 3, message: 'bad request' })))).toBe('bad request');
    expect(decodeStatusMessage(Buffer.from(encodeStatus({ code: 14 })))).toBeUndefined();
    expect(decodeStatusMessage(Buffer.from('not protobuf'))).toBeUndefined();
  });
});
