import { leafKeys } from '@phoenix/testkit';
import { defaultRunnerConfig, validateRunnerConfig, type RunnerConfig } from './config';

const BAD: Array<[string, Partial<RunnerConfig>, string[]]> = [
  ['sampleIntervalSeconds', { sampleIntervalSeconds: 0 }, ['runner.sampleIntervalSeconds: must be > 0 (got 0)']],
  ['probeIntervalSeconds', { probeIntervalSeconds: 86401 }, ['runner.probeIntervalSeconds: must be <= 86400 (got 86401)']],
  ['minWallIntervalSeconds', { minWallIntervalSeconds: 0.01 }, ['runner.minWallIntervalSeconds: must be >= 0.05 (got 0.01)']],
  ['recallTopN', { recallTopN: 2.5 }, ['runner.recallTopN: must be an integer (got 2.5)']],
  ['recallMinAgeSeconds', { recallMinAgeSeconds: -1 }, ['runner.recallMinAgeSeconds: must be >= 0 (got -1)']],
  ['flapWindowSeconds', { flapWindowSeconds: -1 }, ['runner.flapWindowSeconds: must be >= 0 (got -1)']],
  ['settlingTolerance', { settlingTolerance: 1.5 }, ['runner.settlingTolerance: must be <= 1 (got 1.5)']],
  ['settlingHoldSeconds', { settlingHoldSeconds: -1 }, ['runner.settlingHoldSeconds: must be >= 0 (got -1)']],
  ['loadUpdateMinSeconds', { loadUpdateMinSeconds: 3601 }, ['runner.loadUpdateMinSeconds: must be <= 3600 (got 3601)']],
  ['fallbackTargetSeries', { fallbackTargetSeries: 0 }, ['runner.fallbackTargetSeries: must be >= 1 (got 0)']],
];

describe('validateRunnerConfig', () => {
  it('the defaults are valid: a sample every 5 s, a probe every 30 s, recall of the top 10', () => {
    expect(defaultRunnerConfig).toEqual({
      sampleIntervalSeconds: 5,
      probeIntervalSeconds: 30,
      minWallIntervalSeconds: 0.25,
      recallTopN: 10,
      recallMinAgeSeconds: 25,
      flapWindowSeconds: 60,
      settlingTolerance: 0.05,
      settlingHoldSeconds: 60,
      loadUpdateMinSeconds: 1.1,
      stopLoadAtEnd: true,
      fallbackTargetSeries: 20000,
    });
    expect(validateRunnerConfig(defaultRunnerConfig)).toEqual([]);
  });

  it.each(BAD)('a bad %s: the message names the key', (_key, bad, messages) => {
    expect(validateRunnerConfig({ ...defaultRunnerConfig, ...bad })).toEqual(messages);
  });

  it('every key but the stopLoadAtEnd switch (both values valid) has a case', () => {
    expect([...BAD.map(([k]) => k), 'stopLoadAtEnd'].sort()).toEqual(leafKeys(defaultRunnerConfig).sort());
    expect(validateRunnerConfig({ ...defaultRunnerConfig, stopLoadAtEnd: false })).toEqual([]);
  });
});
