import type { Sample } from '@phoenix/runtime';
import { fetchJson, joinUrl } from './http';
import { KPI_METRICS, OBSERVER_INGEST_METRIC, readingFromSamples, type KpiReading, type KpiSource } from './kpis';

export interface PrometheusSourceOptions {
  /** Base URL of the Prometheus HTTP API (PROMETHEUS_URL). */
  url: string;
  /** Extra label matchers for the query, e.g. `job="phoenix-core"` (PHOENIX_PROMETHEUS_SELECTOR). */
  selector: string;
  timeoutMs: number;
}

interface VectorAnswer {
  status: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

function parseValue(v: string): number {
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}

/** The names one instant query asks Prometheus for. */
export function prometheusQuery(selector: string): string {
  const names = [...KPI_METRICS, OBSERVER_INGEST_METRIC].join('|');
  const extra = selector.trim() === '' ? '' : `, ${selector.trim()}`;
  return `{__name__=~"${names}"${extra}}`;
}

/**
 * Keeps the samples of the core: the process metrics (every Phoenix service has them) only from the target that
 * exposes phoenix_pipeline_series; the observer's ingest rate from wherever it is. Prometheus' target labels
 * (job, instance) are dropped so the samples look like the core's own exposition.
 */
export function coreSamples(series: readonly { metric: Record<string, string>; value: number }[]): Sample[] {
  const target = series.find((s) => s.metric.__name__ === 'phoenix_pipeline_series');
  const sameTarget = (m: Record<string, string>): boolean => !target || (m.job === target.metric.job && m.instance === target.metric.instance);
  const out: Sample[] = [];
  for (const s of series) {
    const { __name__: name, job: _job, instance: _instance, ...labels } = s.metric;
    if (!name) continue;
    if (name !== OBSERVER_INGEST_METRIC && !sameTarget(s.metric)) continue;
    out.push({ name, labels, value: s.value });
  }
  return out;
}

/** Reads the same KPIs through the Prometheus HTTP API (one instant query): used when PROMETHEUS_URL is set. */
export class PrometheusSource implements KpiSource {
  readonly kind = 'prometheus' as const;
  readonly url: string;
  constructor(private readonly opts: PrometheusSourceOptions) {
    this.url = opts.url;
  }

  async read(signal?: AbortSignal): Promise<KpiReading> {
    const q = prometheusQuery(this.opts.selector);
    const body = (await fetchJson(joinUrl(this.opts.url, `/api/v1/query?query=${encodeURIComponent(q)}`), { timeoutMs: this.opts.timeoutMs, signal })) as VectorAnswer;
    if (body?.status !== 'success' || !body.data || body.data.resultType !== 'vector') {
      throw new Error(`Prometheus ${this.opts.url}: ${body?.error ?? `unexpected answer (${body?.data?.resultType ?? 'no data'})`}`);
    }
    const series = body.data.result.map((r) => ({ metric: r.metric, value: parseValue(r.value[1]) }));
    const samples = coreSamples(series);
    if (!samples.some((s) => s.name === 'phoenix_pipeline_series')) throw new Error(`Prometheus ${this.opts.url}: no phoenix_pipeline_series for ${q}`);
    const ingest = samples.find((s) => s.name === OBSERVER_INGEST_METRIC)?.value;
    return readingFromSamples(
      samples.filter((s) => s.name !== OBSERVER_INGEST_METRIC),
      ingest,
    );
  }
}
