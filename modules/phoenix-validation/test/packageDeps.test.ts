import path from 'node:path';
import { undeclaredImports } from '@phoenix/testkit';

describe('package.json', () => {
  it('declares every package phoenix-validation imports (src/ and test/)', () => {
    expect(undeclaredImports(path.resolve(__dirname, '..'))).toEqual({});
  });
});
