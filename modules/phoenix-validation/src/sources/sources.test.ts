import { parseExposition } from '@phoenix/runtime';
import { readingFromSamples } from './kpis';
import { coreSamples, prometheusQuery } from './prometheus';

const OBSERVATORY = `# HELP phoenix_pipeline_series Series.
# TYPE phoenix_pipeline_series gauge
phoenix_pipeline_series{pipeline="full_fidelity"} 8400
phoenix_pipeline_series{pipeline="optimized"} 3100
phoenix_pipeline_series{pipeline="experimental_topk"} 2270
phoenix_pipeline_totals_preservation_ratio{pipeline="full_fidelity"} 1
phoenix_pipeline_totals_preservation_ratio{pipeline="optimized"} 1
phoenix_pipeline_totals_preservation_ratio{pipeline="experimental_topk"} 0.999
phoenix_pipeline_attribution_coverage_ratio{pipeline="experimental_topk"} 0.8
phoenix_active_pipeline_info{pipeline="full_fidelity"} 0
phoenix_active_pipeline_info{pipeline="optimized"} 0
phoenix_active_pipeline_info{pipeline="experimental_topk"} 1
phoenix_control_mode_info{mode="aggressive",profile="balanced"} 1
phoenix_control_topk_k 105
phoenix_control_target_series 2400
phoenix_control_generation 3
process_cpu_seconds_total 12.5
process_resident_memory_bytes 1.5e+08
phoenix_receiver_requests_total{protocol="grpc",encoding="protobuf",outcome="success"} 99
bad line here
`;

describe('KPI readings', () => {
  it('parses the observatory into a reading: series, ratios, active pipeline and its series, mode, k, target, core CPU and memory', () => {
    const { samples, badLines } = parseExposition(OBSERVATORY);
    expect(badLines).toBe(1);
    expect(readingFromSamples(samples, 1234)).toEqual({
      series: { full_fidelity: 8400, optimized: 3100, experimental_topk: 2270 },
      totals_preservation: { full_fidelity: 1, optimized: 1, experimental_topk: 0.999 },
      attribution_coverage: { experimental_topk: 0.8 },
      active_pipeline: 'experimental_topk',
      active_series: 2270,
      mode: 'aggressive',
      profile: 'balanced',
      k: 105,
      target_series: 2400,
      generation: 3,
      core_cpu_seconds: 12.5,
      core_resident_bytes: 150_000_000,
      ingest_points_per_second: 1234,
    });
  });

  it('absent metrics leave their fields out (an empty reading is still a reading)', () => {
    expect(readingFromSamples([])).toEqual({ series: {} });
    expect(readingFromSamples(parseExposition('phoenix_pipeline_series{pipeline="full_fidelity"} 10\n').samples)).toEqual({ series: { full_fidelity: 10 } });
  });

  it('keeps only wanted names (cheap on a large exposition)', () => {
    const { samples } = parseExposition(OBSERVATORY, (n) => n === 'phoenix_control_topk_k');
    expect(samples).toEqual([{ name: 'phoenix_control_topk_k', labels: {}, value: 105 }]);
  });

  it('Prometheus: one query for every name (with the selector); process metrics only from the core target; target labels dropped', () => {
    expect(prometheusQuery('')).toMatch(/^\{__name__=~"phoenix_pipeline_series\|.*\|process_resident_memory_bytes\|phoenix_observer_ingest_data_points_per_second"\}$/);
    expect(prometheusQuery('job="core"')).toMatch(/", job="core"\}$/);
    const s = coreSamples([
      { metric: { __name__: 'phoenix_pipeline_series', pipeline: 'full_fidelity', job: 'core', instance: 'c:8891' }, value: 10 },
      { metric: { __name__: 'process_cpu_seconds_total', job: 'core', instance: 'c:8891' }, value: 5 },
      { metric: { __name__: 'process_cpu_seconds_total', job: 'control', instance: 'x:8080' }, value: 99 },
      { metric: { __name__: 'phoenix_observer_ingest_data_points_per_second', job: 'observer', instance: 'x:9888' }, value: 7 },
    ]);
    expect(s).toEqual([
      { name: 'phoenix_pipeline_series', labels: { pipeline: 'full_fidelity' }, value: 10 },
      { name: 'process_cpu_seconds_total', labels: {}, value: 5 },
      { name: 'phoenix_observer_ingest_data_points_per_second', labels: {}, value: 7 },
    ]);
  });
});
