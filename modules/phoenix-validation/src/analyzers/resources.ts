import type { BenchmarkResources, BenchmarkSample } from '@phoenix/contracts';
import { finite, max } from './stats';

/**
 * Increase of a counter over a sequence of readings, like PromQL's increase() without extrapolation: a value
 * lower than the previous one is a reset (the process restarted) and counts from 0.
 */
export function counterIncrease(values: readonly (number | undefined)[]): { increase: number | null; resets: number } {
  const v = finite(values);
  if (v.length === 0) return { increase: null, resets: 0 };
  let inc = 0;
  let resets = 0;
  for (let i = 1; i < v.length; i++) {
    if (v[i] >= v[i - 1]) inc += v[i] - v[i - 1];
    else {
      resets += 1;
      inc += v[i];
    }
  }
  return { increase: inc, resets };
}

/** The core's CPU seconds during the run (increase of process_cpu_seconds_total) and its peak resident memory. */
export function analyzeResources(samples: readonly BenchmarkSample[]): BenchmarkResources {
  const cpu = counterIncrease(samples.map((s) => s.core_cpu_seconds));
  return {
    core_cpu_seconds: cpu.increase,
    core_peak_memory_bytes: max(finite(samples.map((s) => s.core_resident_bytes))),
    core_restarts: cpu.resets,
  };
}
