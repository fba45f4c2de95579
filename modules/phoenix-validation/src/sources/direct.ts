import { parseExposition } from '@phoenix/runtime';
import { fetchText, joinUrl } from './http';
import { KPI_METRICS, OBSERVER_INGEST_METRIC, readingFromSamples, type KpiReading, type KpiSource } from './kpis';

const WANTED = new Set<string>(KPI_METRICS);

export interface DirectSourceOptions {
  /** Base URL of the core's observatory (:8891); `${coreUrl}/metrics` is scraped. */
  coreUrl: string;
  /** Base URL of phoenix-control's observer (:9888), for the ingest rate; optional. */
  observerUrl?: string;
  timeoutMs: number;
}

/** Scrapes the core's observatory (and the observer for the ingest rate) directly: the default source. */
export class DirectSource implements KpiSource {
  readonly kind = 'direct' as const;
  readonly url: string;
  constructor(private readonly opts: DirectSourceOptions) {
    this.url = joinUrl(opts.coreUrl, '/metrics');
  }

  async read(signal?: AbortSignal): Promise<KpiReading> {
    const [core, observer] = await Promise.all([
      fetchText(this.url, { timeoutMs: this.opts.timeoutMs, signal }),
      this.opts.observerUrl
        ? fetchText(joinUrl(this.opts.observerUrl, '/metrics'), { timeoutMs: this.opts.timeoutMs, signal }).catch(() => undefined)
        : Promise.resolve(undefined),
    ]);
    const samples = parseExposition(core, (n) => WANTED.has(n)).samples;
    if (!samples.some((s) => s.name === 'phoenix_pipeline_series')) throw new Error(`${this.url}: no phoenix_pipeline_series (is it the core's observatory?)`);
    let ingest: number | undefined;
    if (observer !== undefined) {
      const o = parseExposition(observer, (n) => n === OBSERVER_INGEST_METRIC).samples;
      if (o.length === 1) ingest = o[0].value;
    }
    return readingFromSamples(samples, ingest);
  }
}
