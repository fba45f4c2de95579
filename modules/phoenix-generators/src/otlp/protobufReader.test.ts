import { encodeExportResponse, encodeStatus } from '@phoenix/testkit';
import { decodeExportResponse, decodeStatusMessage, readFields } from './protobufReader';
import { encodeMessage } from './protobufWriter';

describe('protobuf reader', () => {
  test('decodes partial_success as the reference codec encodes it', () => {
    const buf = Buffer.from(encodeExportResponse({ partialSuccess: { rejectedDataPoints: 12345678901, errorMessage: 'too old' } }));
    expect(decodeExportResponse(buf)).toEqual({ rejectedDataPoints: 12345678901, errorMessage: 'too old' });
    expect(decodeExportResponse(Buffer.from(encodeExportResponse({})))).toBeUndefined();
  });

  test('reads a google.rpc.Status message', () => {
    expect(decodeStatusMessage(Buffer.from(encodeStatus({ code: 3, message: 'bad request' })))).toBe('bad request');
    expect(decodeStatusMessage(Buffer.from('not protobuf'))).toBeUndefined();
  });

  test('round-trips the writer and rejects truncated input', () => {
    const buf = encodeMessage([
      { f: 1, t: 'varint', v: 300 },
      { f: 2, t: 'string', v: 'héllo' },
      { f: 3, t: 'message', v: [{ f: 1, t: 'double', v: 1.5 }] },
    ]);
    const fields = readFields(buf);
    expect(fields.map((x) => x.f)).toEqual([1, 2, 3]);
    expect(fields[0].v).toBe(300n);
    expect((fields[1].v as Buffer).toString('utf8')).toBe('héllo');
    expect(() => readFields(buf.subarray(0, buf.length - 2))).toThrow(/truncated/);
  });
});
