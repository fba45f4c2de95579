import fs from 'node:fs';
import path from 'node:path';
import { loadMetricsCatalog, renderObservatoryDoc, type MetricsCatalogName } from './metricsCatalog';

const NAMES: MetricsCatalogName[] = ['core', 'observer', 'control', 'generators', 'validation', 'api', 'agent'];

describe('the metrics catalogs (contracts/metrics/*.yaml)', () => {
  it('every catalog is valid and names each family once; there is one per endpoint', () => {
    const files = fs.readdirSync(path.join(__dirname, '..', 'metrics')).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).toEqual(NAMES.map((n) => `${n}.yaml`).sort());
    for (const n of NAMES) expect(loadMetricsCatalog(n).metrics.length).toBeGreaterThan(0);
  });

  it('observatory.md is the core catalog rendered (edit core.yaml, then npm run build)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', 'metrics', 'observatory.md'), 'utf8');
    expect(committed).toBe(renderObservatoryDoc(loadMetricsCatalog('core')));
  });

  it('the drift the issue found is gone: the render time, the last successful reload, the series_limit reason', () => {
    const doc = renderObservatoryDoc(loadMetricsCatalog('core'));
    expect(doc).toContain('`phoenix_exporter_render_seconds`');
    expect(doc).toContain('`phoenix_control_file_last_reload_success_timestamp_seconds`');
    expect(doc).toContain('`series_limit`');
  });
});
