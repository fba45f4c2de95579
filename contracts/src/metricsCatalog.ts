import fs from 'node:fs';
import path from 'node:path';
import catalogSchema from '../metrics/catalog.schema.json';
import { createValidator } from './createValidator';
import { yaml } from './lazyYaml';

/** The catalogs of contracts/metrics/: one per endpoint of a service. */
export type MetricsCatalogName = 'core' | 'observer' | 'control' | 'generators' | 'validation' | 'api' | 'agent';

export interface CatalogLabel {
  name: string;
  values?: string[];
}

export interface CatalogMetric {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'info' | 'untyped';
  help: string;
  section?: string;
  doc?: string;
  labels_doc?: string;
  when?: string;
  labels?: CatalogLabel[];
}

export interface MetricsCatalog {
  service: string;
  endpoint: string;
  defaults?: 'prom-client';
  defaults_except?: string[];
  metrics: CatalogMetric[];
}

const validateCatalog = createValidator<MetricsCatalog>(catalogSchema as Record<string, unknown>);

/** contracts/metrics (from src/ under jest or dist/src/ when compiled). */
function metricsDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    if (fs.existsSync(path.join(dir, 'metrics', 'core.yaml'))) return path.join(dir, 'metrics');
    dir = path.dirname(dir);
  }
  throw new Error(`contracts/metrics not found above ${__dirname}`);
}

/** Reads and validates contracts/metrics/<name>.yaml; throws naming the file and every problem. */
export function loadMetricsCatalog(name: MetricsCatalogName): MetricsCatalog {
  const file = path.join(metricsDir(), `${name}.yaml`);
  const r = validateCatalog(yaml().parse(fs.readFileSync(file, 'utf8')));
  if (!r.ok) throw new Error(`${file}: invalid metrics catalog:\n  ${r.errors.join('\n  ')}`);
  const seen = new Set<string>();
  for (const m of r.value.metrics) {
    if (seen.has(m.name)) throw new Error(`${file}: ${m.name} is declared twice`);
    seen.add(m.name);
  }
  return r.value;
}

const labelsText = (m: CatalogMetric): string =>
  m.labels_doc ?? (m.labels && m.labels.length > 0 ? m.labels.map((l) => `\`${l.name}\`${l.values ? ` (${l.values.join(', ')})` : ''}`).join(', ') : '—');

/** contracts/metrics/observatory.md: the core's catalog as tables by section (a test keeps the file equal to this). */
export function renderObservatoryDoc(c: MetricsCatalog): string {
  const out = [
    '# phoenix-core observatory (`:8891/metrics`) — metric contract',
    '',
    '<!-- Generated from contracts/metrics/core.yaml by `npm run gen --workspace=@phoenix/contracts`: edit the catalog, not this file. -->',
    '',
    'The observer (phoenix-control), the validation module and the Prometheus rules read these names.',
    'Changing a name or a label here is a breaking change: update every reader in the same commit.',
    '',
    'A "series" is one exposed Prometheus time series (one sample line of the exposition), because that is',
    'what a backend stores and charges for: a histogram with 10 bounds is 13 series (11 `_bucket`, `_sum`, `_count`).',
    '`pipeline` is one of `full_fidelity`, `optimized`, `experimental_topk`.',
  ];
  const sections: string[] = [];
  for (const m of c.metrics) if (!sections.includes(m.section ?? 'Other')) sections.push(m.section ?? 'Other');
  for (const s of sections) {
    out.push('', `## ${s}`, '| name | type | labels | meaning |', '|---|---|---|---|');
    for (const m of c.metrics.filter((x) => (x.section ?? 'Other') === s)) {
      const when = m.when ? ` (present only when ${m.when})` : '';
      out.push(`| \`${m.name}\` | ${m.type} | ${labelsText(m)} | ${m.doc ?? m.help}${when} |`);
    }
  }
  const except = c.defaults_except?.length ? ` except ${c.defaults_except.map((n) => `\`${n}\``).join(', ')}` : '';
  if (c.defaults) out.push('', `Plus the Node.js process metrics of prom-client's default collector${except} (\`process_cpu_seconds_total\`, \`process_resident_memory_bytes\`, …).`);
  return out.join('\n') + '\n';
}
