import { loadMetricsCatalog, type CatalogMetric, type MetricsCatalogName } from '@phoenix/contracts';
import { parseExposition } from '@phoenix/runtime';
import { Registry, collectDefaultMetrics } from 'prom-client';

/** prom-client's default collector's families on this machine (name → type, help). */
export async function promClientDefaults(): Promise<Map<string, { type: string; help: string }>> {
  const r = new Registry();
  collectDefaultMetrics({ register: r });
  const { types, help } = parseExposition(await r.metrics(), { strict: true });
  return new Map(Object.keys(types).map((n) => [n, { type: types[n], help: help[n] ?? '' }]));
}

const SUFFIXES = ['_bucket', '_sum', '_count', '_created'];

/**
 * What is wrong with a /metrics text against the catalog `name` (contracts/metrics/<name>.yaml): a family it
 * shows that is not declared, a declared family (without `when`) that is missing, a type or help that differs,
 * a sample whose label names are not the declared ones, a label value outside a declared closed set. The
 * prom-client defaults group counts when the catalog declares it. Empty: the endpoint shows exactly the catalog.
 */
export async function metricsCatalogProblems(name: MetricsCatalogName, text: string): Promise<string[]> {
  const catalog = loadMetricsCatalog(name);
  const declared = new Map<string, CatalogMetric>(catalog.metrics.map((m) => [m.name, m]));
  if (catalog.defaults === 'prom-client') {
    for (const [n, d] of await promClientDefaults()) {
      if (catalog.defaults_except?.includes(n) || declared.has(n)) continue;
      declared.set(n, { name: n, type: d.type as CatalogMetric['type'], help: d.help, labels: undefined, when: 'prom-client default' });
    }
  }
  const exp = parseExposition(text, { strict: true });
  const problems: string[] = [];
  for (const [n, type] of Object.entries(exp.types)) {
    const m = declared.get(n);
    if (!m) problems.push(`${n}: shown but not declared in contracts/metrics/${name}.yaml`);
    else {
      if (m.type !== type) problems.push(`${n}: type ${type}, declared ${m.type}`);
      if (m.when !== 'prom-client default' && (exp.help[n] ?? '') !== m.help) problems.push(`${n}: help ${JSON.stringify(exp.help[n])}, declared ${JSON.stringify(m.help)}`);
    }
  }
  for (const m of declared.values()) if (!m.when && exp.types[m.name] === undefined) problems.push(`${m.name}: declared but not shown`);
  for (const s of exp.samples) {
    const family = exp.types[s.name] !== undefined ? s.name : SUFFIXES.map((x) => (s.name.endsWith(x) ? s.name.slice(0, -x.length) : '')).find((f) => f && exp.types[f] !== undefined);
    const m = family ? declared.get(family) : undefined;
    if (!m || m.when === 'prom-client default') continue;
    const names = Object.keys(s.labels).filter((l) => l !== 'le' && l !== 'quantile').sort();
    const want = (m.labels ?? []).map((l) => l.name).sort();
    if (names.join(',') !== want.join(',')) problems.push(`${s.name}: labels {${names.join(', ')}}, declared {${want.join(', ')}}`);
    for (const l of m.labels ?? []) {
      const v = s.labels[l.name];
      if (l.values && v !== undefined && !l.values.includes(v)) problems.push(`${s.name}: ${l.name}="${v}" is not one of ${l.values.join(', ')}`);
    }
  }
  return [...new Set(problems)];
}
