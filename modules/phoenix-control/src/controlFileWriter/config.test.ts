import path from 'node:path';
import { leafKeys } from '@phoenix/testkit';
import { defaultControlFileWriterConfig, validateControlFileWriterConfig } from './config';

describe('validateControlFileWriterConfig', () => {
  it('the default is valid; an empty path or a directory names the key', () => {
    expect(defaultControlFileWriterConfig).toEqual({ path: path.join('data', 'optimization_mode.yaml') });
    expect(validateControlFileWriterConfig(defaultControlFileWriterConfig)).toEqual([]);
    expect(validateControlFileWriterConfig({ path: '' })).toEqual(['controlFile.path: must be a non-empty string']);
    expect(validateControlFileWriterConfig({ path: `data${path.sep}` })).toEqual([`controlFile.path: must name a file, not a directory (got data${path.sep})`]);
    expect(leafKeys(defaultControlFileWriterConfig)).toEqual(['path']);
  });
});
