import { validateAgentMetricsBatch } from '@phoenix/contracts';
import { parseExposition } from '@phoenix/runtime';
import { coreDownSample, isObservatoryMetric, readCore } from './kpiSample';

const TEXT = `# TYPE phoenix_pipeline_series gauge
phoenix_pipeline_series{pipeline="full_fidelity"} 5600
phoenix_pipeline_series{pipeline="optimized"} 2100
phoenix_pipeline_series{pipeline="experimental_topk"} 880
phoenix_pipeline_heavy_hitter_recall_ratio{pipeline="experimental_topk"} 0.9
phoenix_pipeline_totals_preservation_ratio{pipeline="optimized"} 1
phoenix_pipeline_attribution_coverage_ratio{pipeline="optimized"} 0.75
phoenix_pipeline_attribution_coverage_ratio{pipeline="full_fidelity"} NaN
phoenix_optimized_series_by_profile{profile="conservative"} 3000
phoenix_optimized_series_by_profile{profile="balanced"} 2100
phoenix_optimized_series_by_profile{profile="aggressive"} 1200
phoenix_topk_streams 40
phoenix_active_pipeline_info{pipeline="full_fidelity"} 0
phoenix_active_pipeline_info{pipeline="optimized"} 1
phoenix_receiver_data_points_total{protocol="http",outcome="accepted"} 1500
phoenix_receiver_data_points_total{protocol="grpc",outcome="accepted"} 500
phoenix_receiver_data_points_total{protocol="http",outcome="rejected"} 99
phoenix_control_generation 3
phoenix_control_mode_info{mode="balanced",profile="balanced"} 1
phoenix_control_mode_info{mode="conservative",profile="balanced"} 0
phoenix_control_topk_k 20
phoenix_control_target_series 4000
process_cpu_seconds_total 12.5
process_resident_memory_bytes 104857600
phoenix_store_series 5600
`;

describe('readCore: an observatory scrape as a KPI sample', () => {
  const samples = parseExposition(TEXT, { wanted: isObservatoryMetric }).samples;
  const T = Date.UTC(2026, 0, 1);

  test('every field the contract has, from the metric names of contracts/metrics/observatory.md', () => {
    const r = readCore(samples, T, { points: 1000, atMs: T - 10_000 });
    expect(r.sample).toEqual({
      observed_at: '2026-01-01T00:00:00.000Z',
      series: { full_fidelity: 5600, optimized: 2100, experimental_topk: 880 },
      core_up: true,
      active_series: 2100,
      optimized_series_by_profile: { conservative: 3000, balanced: 2100, aggressive: 1200 },
      topk_streams: 40,
      mode: 'balanced',
      profile: 'balanced',
      topk_k: 20,
      target_series: 4000,
      heavy_hitter_recall: { experimental_topk: 0.9 },
      totals_preservation: { optimized: 1 },
      attribution_coverage: { optimized: 0.75 },
      ingest_points_per_second: 100,
    });
    expect([r.generation, r.process, r.ingest]).toEqual([3, { rss_bytes: 104857600, cpu_seconds_total: 12.5 }, { points: 2000, atMs: T }]);
    expect(validateAgentMetricsBatch({ samples: [{ seq: 1, ...r.sample }] })).toMatchObject({ ok: true });
  });

  test('no ingest rate on the first reading; a counter that went down (core restart) counts from zero', () => {
    expect(readCore(samples, T, undefined).sample.ingest_points_per_second).toBeUndefined();
    expect(readCore(samples, T, { points: 5000, atMs: T - 20_000 }).sample.ingest_points_per_second).toBe(100);
  });

  test('an empty core (no data yet) and a core that is down are valid samples too', () => {
    const empty = readCore([], T, undefined);
    expect(empty.sample).toEqual({ observed_at: '2026-01-01T00:00:00.000Z', series: {}, core_up: true });
    expect(coreDownSample(T)).toEqual({ observed_at: '2026-01-01T00:00:00.000Z', series: {}, core_up: false });
    expect(validateAgentMetricsBatch({ samples: [{ seq: 1, ...coreDownSample(T) }] })).toMatchObject({ ok: true });
  });
});
