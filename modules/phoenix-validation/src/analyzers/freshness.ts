import type { BenchmarkFreshness, BenchmarkProbe } from '@phoenix/contracts';
import { finite, max, percentile } from './stats';

/** p50, p99 (nearest rank) and max of the probes' freshness; timeouts counted apart (a timeout has no value). */
export function analyzeFreshness(probes: readonly BenchmarkProbe[]): BenchmarkFreshness {
  const values = finite(probes.map((p) => p.freshness_seconds));
  const timeouts = probes.filter((p) => p.freshness_timeout === true).length;
  return {
    probes: values.length,
    timeouts,
    p50_seconds: percentile(values, 0.5),
    p99_seconds: percentile(values, 0.99),
    max_seconds: max(values),
  };
}
