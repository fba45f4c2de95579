import { classifyError, InvalidConfigError, InvalidInputError, UnavailableError } from './errors';
import { ProtobufDecodeError } from './protoReader';

describe('classifyError', () => {
  it('only input errors are the client fault (permanent)', () => {
    expect(classifyError(new InvalidInputError('bad json', 'invalid_json'))).toEqual({ kind: 'invalid_argument', reason: 'invalid_json', message: 'bad json' });
    expect(classifyError(new ProtobufDecodeError('truncated varint'))).toEqual({ kind: 'invalid_argument', reason: 'invalid_protobuf', message: 'truncated varint' });
  });

  it('everything else is retryable, with a Retry-After', () => {
    expect(classifyError(new UnavailableError('shard busy', 'shard_unavailable', 5))).toEqual({
      kind: 'unavailable',
      reason: 'shard_unavailable',
      message: 'shard busy',
      retryAfterSeconds: 5,
    });
    expect(classifyError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toEqual({
      kind: 'unavailable',
      reason: 'internal',
      message: "internal error: Cannot read properties of undefined (reading 'x')",
      retryAfterSeconds: 1,
    });
    expect(classifyError('a string')).toMatchObject({ kind: 'unavailable', reason: 'internal' });
  });

  it('InvalidConfigError carries every problem', () => {
    const e = new InvalidConfigError(['a: bad', 'b: worse']);
    expect(e.problems).toEqual(['a: bad', 'b: worse']);
    expect(e.message).toBe('a: bad; b: worse');
  });
});
