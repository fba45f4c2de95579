import { sample } from '../../test/samples';
import { analyzeResources, counterIncrease } from './resources';

describe('core resources', () => {
  it('CPU seconds: the increase of the counter (hand-computed)', () => {
    expect(counterIncrease([10, 12, 15.5])).toEqual({ increase: 5.5, resets: 0 });
  });

  it('a counter reset (the core restarted) counts from 0, like PromQL increase()', () => {
    // 10 -> 12 -> 15: +5; reset to 2: +2; 2 -> 5: +3. Total 10.
    expect(counterIncrease([10, 12, 15, 2, 5])).toEqual({ increase: 10, resets: 1 });
    expect(counterIncrease([5, 0, 0, 1])).toEqual({ increase: 1, resets: 1 });
  });

  it('absent readings are skipped; no readings: null', () => {
    expect(counterIncrease([undefined, 3, undefined, 4])).toEqual({ increase: 1, resets: 0 });
    expect(counterIncrease([])).toEqual({ increase: null, resets: 0 });
    expect(counterIncrease([7])).toEqual({ increase: 0, resets: 0 });
    expect(analyzeResources([])).toEqual({ core_cpu_seconds: null, core_peak_memory_bytes: null, core_restarts: 0 });
  });

  it('peak resident memory over the samples', () => {
    const r = analyzeResources([
      sample(0, { core_cpu_seconds: 1, core_resident_bytes: 100 }),
      sample(5, { core_cpu_seconds: 3, core_resident_bytes: 300 }),
      sample(10, { core_cpu_seconds: 0.5, core_resident_bytes: 120 }),
    ]);
    expect(r).toEqual({ core_cpu_seconds: 2.5, core_peak_memory_bytes: 300, core_restarts: 1 });
  });
});
