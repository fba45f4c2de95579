import { ManualClock, silentLogger } from '@phoenix/runtime';
import { sumPipelineErrors, StoreListeners } from './storeListeners';
import type { Series } from './series';

const series = { family: { name: 'f' } } as unknown as Series;

describe('StoreListeners', () => {
  test('calls every listener in order; the first failure is the reason, every failure is counted at its place', () => {
    const calls: string[] = [];
    const ls = new StoreListeners(silentLogger(), new ManualClock());
    ls.add({ onUpdate: () => calls.push('a'), onExpire: () => calls.push('a-expire') }, { pipeline: 'p', stage: 'one' });
    ls.add(
      {
        onUpdate: () => {
          calls.push('b');
          throw new Error('first');
        },
        onExpire: () => undefined,
      },
      { pipeline: 'p', stage: 'two' },
    );
    ls.add(
      {
        onUpdate: () => {
          calls.push('c');
          throw 'not an Error';
        },
        onExpire: () => undefined,
      },
      { pipeline: 'q', stage: 'two' },
    );
    expect(ls.update(series, undefined, 0)).toBe('pipeline p failed at two: first');
    ls.expire(series);
    expect(calls).toEqual(['a', 'b', 'c', 'a-expire']);
    expect(ls.errors()).toEqual([
      { pipeline: 'p', stage: 'one', errors: 0 },
      { pipeline: 'p', stage: 'expire', errors: 0 },
      { pipeline: 'p', stage: 'two', errors: 1 },
      { pipeline: 'q', stage: 'two', errors: 1 },
      { pipeline: 'q', stage: 'expire', errors: 0 },
    ]);
  });

  test('no failure, no reason', () => {
    const ls = new StoreListeners(silentLogger(), new ManualClock());
    ls.add({ onUpdate: () => undefined, onExpire: () => undefined }, { pipeline: 'p', stage: 'route' });
    expect(ls.update(series, undefined, 0)).toBeUndefined();
  });

  test('sumPipelineErrors adds the counts of several stores per place', () => {
    expect(
      sumPipelineErrors([
        [
          { pipeline: 'p', stage: 'route', errors: 2 },
          { pipeline: 'p', stage: 'expire', errors: 0 },
        ],
        [
          { pipeline: 'p', stage: 'route', errors: 3 },
          { pipeline: 'shard', stage: 'host_check', errors: 1 },
        ],
      ]),
    ).toEqual([
      { pipeline: 'p', stage: 'route', errors: 5 },
      { pipeline: 'p', stage: 'expire', errors: 0 },
      { pipeline: 'shard', stage: 'host_check', errors: 1 },
    ]);
  });
});
