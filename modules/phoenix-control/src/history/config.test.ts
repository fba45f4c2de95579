import path from 'node:path';
import { leafKeys } from '@phoenix/testkit';
import { defaultHistoryConfig, validateHistoryConfig } from './config';

describe('validateHistoryConfig', () => {
  it('the defaults are valid; each bad value names its key', () => {
    expect(defaultHistoryConfig).toEqual({ path: path.join('data', 'control_history.sqlite'), maxRows: 100000 });
    expect(validateHistoryConfig(defaultHistoryConfig)).toEqual([]);
    expect(validateHistoryConfig({ ...defaultHistoryConfig, path: '' })).toEqual(['history.path: must be a non-empty string']);
    expect(validateHistoryConfig({ ...defaultHistoryConfig, maxRows: 9 })).toEqual(['history.maxRows: must be >= 10 (got 9)']);
    expect(validateHistoryConfig({ ...defaultHistoryConfig, maxRows: 10.5 })).toEqual(['history.maxRows: must be an integer (got 10.5)']);
    expect(leafKeys(defaultHistoryConfig)).toEqual(['path', 'maxRows']);
  });
});
