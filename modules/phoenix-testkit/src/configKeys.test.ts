import { leafKeys } from './configKeys';

describe('leafKeys', () => {
  it('lists the dotted leaf keys; arrays and undefined values are leaves', () => {
    expect(leafKeys({ a: 1, b: { c: 'x', d: { e: [1, 2] } }, f: undefined, g: null })).toEqual(['a', 'b.c', 'b.d.e', 'f', 'g']);
    expect(leafKeys({ port: 1 }, 'api.')).toEqual(['api.port']);
  });
});
