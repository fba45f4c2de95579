import fs from 'node:fs';
import path from 'node:path';
import { metricsCatalogProblems } from './metricsCatalogCheck';

const CATALOG_TEXT = `# HELP phoenix_store_series Input series held by the store (full-fidelity identity).
# TYPE phoenix_store_series gauge
phoenix_store_series 5
# HELP phoenix_pipeline_series Series (sample lines) exposed by each pipeline endpoint.
# TYPE phoenix_pipeline_series gauge
phoenix_pipeline_series{pipeline="full_fidelity"} 5
phoenix_pipeline_series{pipeline="nope"} 5
phoenix_pipeline_series{pipeline="optimized",extra="x"} 5
# HELP phoenix_unknown_total Not declared.
# TYPE phoenix_unknown_total counter
phoenix_unknown_total 1
# HELP phoenix_store_families Another help.
# TYPE phoenix_store_families counter
phoenix_store_families 1
`;

describe('metricsCatalogProblems', () => {
  it('names every difference from the catalog: undeclared, missing, type, help, label names, label values', async () => {
    const p = await metricsCatalogProblems('core', CATALOG_TEXT);
    expect(p).toEqual(
      expect.arrayContaining([
        'phoenix_unknown_total: shown but not declared in contracts/metrics/core.yaml',
        'phoenix_store_families: type counter, declared gauge',
        'phoenix_store_families: help "Another help.", declared "Metric families held by the store."',
        'phoenix_pipeline_series: pipeline="nope" is not one of experimental_topk, full_fidelity, optimized',
        'phoenix_pipeline_series: labels {extra, pipeline}, declared {pipeline}',
        'phoenix_store_series_created_total: declared but not shown',
      ]),
    );
    // conditional families (shards) may be absent
    expect(p.some((x) => x.startsWith('phoenix_core_shards'))).toBe(false);
    expect(fs.existsSync(path.resolve(__dirname, '../../../contracts/metrics/core.yaml'))).toBe(true);
  });
});
