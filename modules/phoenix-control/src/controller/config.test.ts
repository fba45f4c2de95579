import { leafKeys } from '@phoenix/testkit';
import { defaultControllerConfig, validateControllerConfig } from './config';

describe('validateControllerConfig', () => {
  it('the default (every 15 s) is valid; an interval out of (0, 3600] names the key', () => {
    expect(defaultControllerConfig).toEqual({ intervalSeconds: 15 });
    expect(validateControllerConfig(defaultControllerConfig)).toEqual([]);
    expect(validateControllerConfig({ intervalSeconds: 0 })).toEqual(['controller.intervalSeconds: must be > 0 (got 0)']);
    expect(validateControllerConfig({ intervalSeconds: 3601 })).toEqual(['controller.intervalSeconds: must be <= 3600 (got 3601)']);
    expect(validateControllerConfig({ intervalSeconds: NaN })).toEqual(['controller.intervalSeconds: must be a finite number (got NaN)']);
    expect(leafKeys(defaultControllerConfig)).toEqual(['intervalSeconds']);
  });
});
