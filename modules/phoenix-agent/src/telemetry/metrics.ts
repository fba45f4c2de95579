/**
 * The agent's metrics: counters and gauges with labels, rendered in the Prometheus text format 0.0.4 (its
 * /metrics and its Pushgateway pushes). Not prom-client: the agent needs only these two kinds, and
 * prom-client costs ~4-8 MB of RSS against an idle budget of 50 MB.
 */

export type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  labelNames: readonly string[];
  values: Map<string, { labels: Labels; value: number }>;
  /** recomputes the values just before rendering */
  collect?: () => void;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** One labelled metric family. */
export class Metric {
  constructor(private readonly f: Family) {}

  private key(labels: Labels): string {
    return this.f.labelNames.map((n) => labels[n] ?? '').join('\u0000');
  }

  private check(labels: Labels): void {
    for (const k of Object.keys(labels)) {
      if (!this.f.labelNames.includes(k)) throw new Error(`${this.f.name}: unknown label ${k}`);
    }
  }

  /** Adds `by` (counters only go up). */
  inc(labels: Labels = {}, by = 1): void {
    if (this.f.type === 'counter' && !(by >= 0)) return;
    this.check(labels);
    const k = this.key(labels);
    const cur = this.f.values.get(k);
    if (cur) cur.value += by;
    else this.f.values.set(k, { labels: { ...labels }, value: by });
  }

  /** Sets the value (a counter's collector sets its total this way). */
  set(labels: Labels, value: number): void {
    this.check(labels);
    this.f.values.set(this.key(labels), { labels: { ...labels }, value });
  }

  /** The current value (0 when never set). */
  get(labels: Labels = {}): number {
    return this.f.values.get(this.key(labels))?.value ?? 0;
  }

  /** Drops every label set (a gauge whose series come and go). */
  reset(): void {
    this.f.values.clear();
  }
}

/** A set of metric families, passed to whoever records into it (no global registry). */
export class MetricsRegistry {
  private readonly families = new Map<string, Family>();

  /** A counter; `collect` (optional) sets its values each time the registry is rendered (a total kept elsewhere). */
  counter(name: string, help: string, labelNames: readonly string[] = [], collect?: (m: Metric) => void): Metric {
    return this.add({ name, help, type: 'counter', labelNames }, collect);
  }

  /** A gauge; `collect` (optional) sets its values each time the registry is rendered. */
  gauge(name: string, help: string, labelNames: readonly string[] = [], collect?: (m: Metric) => void): Metric {
    return this.add({ name, help, type: 'gauge', labelNames }, collect);
  }

  /** The text exposition of every family (families without a value are left out). */
  render(): string {
    const out: string[] = [];
    for (const f of this.families.values()) {
      try {
        f.collect?.();
      } catch {
        /* a failing collector leaves its last values */
      }
      if (f.values.size === 0) continue;
      out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
      for (const { labels, value } of f.values.values()) {
        const names = f.labelNames.filter((n) => labels[n] !== undefined);
        const body = names.map((n) => `${n}="${escapeLabel(labels[n])}"`).join(',');
        out.push(`${f.name}${body ? `{${body}}` : ''} ${formatValue(value)}`);
      }
    }
    return out.length === 0 ? '' : `${out.join('\n')}\n`;
  }

  private add(f: Omit<Family, 'values' | 'collect'>, collect?: (m: Metric) => void): Metric {
    const family: Family = { ...f, values: new Map() };
    const metric = new Metric(family);
    if (collect) family.collect = () => collect(metric);
    this.register(family);
    return metric;
  }

  private register(f: Family): void {
    if (!NAME.test(f.name)) throw new Error(`invalid metric name ${f.name}`);
    if (this.families.has(f.name)) throw new Error(`metric ${f.name} is registered twice`);
    for (const l of f.labelNames) if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l)) throw new Error(`${f.name}: invalid label name ${l}`);
    this.families.set(f.name, f);
  }
}
