import { Counter, Gauge, type Registry } from 'prom-client';
import type { KpiReading } from '../actuator/actuator';
import { type Clock, type HttpListener, type Lifecycle, LifecycleGuard, type Logger, listenHttp, parseExposition, type Sample, type TimerHandle } from '@phoenix/runtime';
import { buildKpis, isObservatoryKpiMetric, OBSERVATORY, type ControlKpis, type ControlPipelineValues, type IngestMemory } from '@phoenix/contracts';
import { optionalGauge } from '../promUtil';
import type { ObserverConfig } from './config';

/** Where the controller gets its KPIs from (the observer, or a fake in tests). */
export interface KpiSource {
  /** The latest reading if it is fresh; undefined when absent or stale (never silently old). */
  current(): KpiReading | undefined;
}

export type ScrapeFailure = 'unreachable' | 'timeout' | 'http_status' | 'parse_error' | 'missing_metrics' | 'prometheus_error';

export type ScrapeOutcome = { ok: true; reading: KpiReading } | { ok: false; reason: ScrapeFailure; error: string };

const PIPELINES = ['full_fidelity', 'optimized', 'experimental_topk'] as const;

/**
 * Scrapes the core's observatory (or queries Prometheus) every interval and turns it into KPIs, exposed on its
 * own /metrics. A failed scrape or a reading older than staleAfterSeconds makes the KPIs absent (the KPI
 * gauges disappear from /metrics; `current()` returns undefined); failures are counted by reason.
 * A {@link Lifecycle}: start() binds its listener, scrapes once and schedules the next scrapes; stop() ends both.
 */
export class Observer implements KpiSource, Lifecycle {
  private reading: KpiReading | undefined;
  private lastOk = false;
  private ingest: IngestMemory | undefined;
  private timer: TimerHandle | undefined;
  private running = false;
  private inFlight: Promise<ScrapeOutcome> | undefined;
  private server: HttpListener | undefined;
  private readonly failures: Counter<'reason'>;
  private readonly scrapes: Counter<'result'>;
  private readonly duration: Gauge;
  private readonly lifecycle = new LifecycleGuard('observer', () => this.doStart(), () => this.doStop());

  constructor(
    private readonly cfg: ObserverConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly registry: Registry,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    const fresh = (): ControlKpis | undefined => this.current()?.kpis;
    const perPipeline = (name: string, help: string, pick: (k: ControlKpis) => ControlPipelineValues | undefined): void => {
      new Gauge({
        name,
        help,
        labelNames: ['pipeline'],
        registers: [registry],
        collect() {
          this.reset();
          const k = fresh();
          const values = k ? pick(k) : undefined;
          if (!values) return;
          for (const p of PIPELINES) {
            const v = values[p];
            if (v !== undefined) this.set({ pipeline: p }, v);
          }
        },
      });
    };
    const scalar = (name: string, help: string, pick: (k: ControlKpis) => number | undefined): void =>
      optionalGauge(registry, name, help, () => {
        const k = fresh();
        return k ? pick(k) : undefined;
      });
    perPipeline('phoenix_observer_pipeline_series', 'Series each pipeline exposes (absent when KPIs are stale).', (k) => k.series);
    perPipeline('phoenix_observer_cost_reduction_ratio', '1 - series / full_fidelity series, per pipeline.', (k) => k.cost_reduction);
    perPipeline('phoenix_observer_totals_preservation_ratio', 'Output total / input total, worst host and family (1 = exact).', (k) => k.totals_preservation);
    perPipeline('phoenix_observer_attribution_coverage_ratio', 'Share of the ranking signal attributed to individually visible processes.', (k) => k.attribution_coverage);
    perPipeline('phoenix_observer_heavy_hitter_recall_ratio', 'Share of the true top-10 processes per host that stay individually visible.', (k) => k.heavy_hitter_recall);
    new Gauge({
      name: 'phoenix_observer_optimized_series_by_profile',
      help: 'Series the optimized pipeline would expose under each profile.',
      labelNames: ['profile'],
      registers: [registry],
      collect() {
        this.reset();
        const by = fresh()?.optimized_series_by_profile;
        if (!by) return;
        for (const [p, v] of Object.entries(by)) if (v !== undefined) this.set({ profile: p }, v);
      },
    });
    scalar('phoenix_observer_topk_streams', '(host, metric stream) groups of experimental_topk.', (k) => k.topk_streams);
    scalar('phoenix_observer_active_series', 'Series of the active output (:8892).', (k) => k.active_series);
    scalar('phoenix_observer_ingest_data_points_per_second', 'Accepted data points per second between the last two readings.', (k) => k.ingest_points_per_second);
    const up: Gauge = new Gauge({
      name: 'phoenix_observer_scrape_up',
      help: '1 when the last scrape of the KPI source succeeded.',
      registers: [registry],
      collect: () => up.set(this.lastOk ? 1 : 0),
    });
    const stale: Gauge = new Gauge({
      name: 'phoenix_observer_kpis_stale',
      help: '1 when KPIs are absent or stale (the actuator holds its last decision).',
      registers: [registry],
      collect: () => stale.set(this.current() ? 0 : 1),
    });
    optionalGauge(registry, 'phoenix_observer_kpi_age_seconds', 'Age of the last successful reading (absent before the first one).', () =>
      this.reading ? Math.max(0, (this.clock.now() - this.reading.observedAtMs) / 1000) : undefined,
    );
    optionalGauge(registry, 'phoenix_observer_last_success_timestamp_seconds', 'Unix time of the last successful reading.', () =>
      this.reading ? this.reading.observedAtMs / 1000 : undefined,
    );
    this.duration = new Gauge({ name: 'phoenix_observer_scrape_duration_seconds', help: 'Duration of the last scrape.', registers: [registry] });
    this.scrapes = new Counter({ name: 'phoenix_observer_scrapes_total', help: 'Scrapes of the KPI source by result.', labelNames: ['result'], registers: [registry] });
    this.failures = new Counter({
      name: 'phoenix_observer_scrape_failures_total',
      help: 'Failed scrapes by reason (unreachable, timeout, http_status, parse_error, missing_metrics, prometheus_error).',
      labelNames: ['reason'],
      registers: [registry],
    });
    for (const r of ['success', 'failure']) this.scrapes.inc({ result: r }, 0);
  }

  current(): KpiReading | undefined {
    if (!this.lastOk || !this.reading) return undefined;
    const ageMs = this.clock.now() - this.reading.observedAtMs;
    if (ageMs > this.cfg.staleAfterSeconds * 1000) return undefined;
    return { observedAtMs: this.reading.observedAtMs, kpis: { ...this.reading.kpis, age_seconds: Math.max(0, ageMs / 1000) } };
  }

  /** One scrape; never throws. Concurrent calls share the scrape in flight. */
  scrapeOnce(): Promise<ScrapeOutcome> {
    if (!this.inFlight) {
      this.inFlight = this.doScrape().finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  private async doScrape(): Promise<ScrapeOutcome> {
    const started = this.clock.now();
    const t0 = process.hrtime.bigint();
    let outcome: ScrapeOutcome;
    try {
      const got = this.cfg.prometheusUrl ? await this.fromPrometheus() : await this.fromCore();
      if (!got.ok) outcome = got;
      else {
        const built = buildKpis(got.samples, started, this.cfg.prometheusUrl ? 'prometheus' : 'core', this.ingest);
        if (!built.ok) outcome = { ok: false, reason: 'missing_metrics', error: built.error };
        else {
          this.ingest = built.ingest ?? this.ingest;
          outcome = { ok: true, reading: { kpis: built.kpis, observedAtMs: started } };
        }
      }
    } catch (err) {
      outcome = { ok: false, reason: 'parse_error', error: (err as Error).message };
    }
    this.duration.set(Number(process.hrtime.bigint() - t0) / 1e9);
    if (outcome.ok) {
      if (!this.lastOk) this.log.info('KPIs available', { source: outcome.reading.kpis.source });
      this.reading = outcome.reading;
      this.lastOk = true;
      this.scrapes.inc({ result: 'success' });
    } else {
      if (this.lastOk || !this.reading) {
        this.log.warn('KPI scrape failed: KPIs absent until the next successful scrape', { reason: outcome.reason, error: outcome.error });
      }
      this.lastOk = false;
      this.scrapes.inc({ result: 'failure' });
      this.failures.inc({ reason: outcome.reason });
    }
    return outcome;
  }

  private async get(url: string, accept: string): Promise<{ ok: true; body: string } | { ok: false; reason: ScrapeFailure; error: string }> {
    let res: Response;
    try {
      res = await this.fetchImpl(url, { signal: AbortSignal.timeout(this.cfg.timeoutSeconds * 1000), headers: { accept } });
    } catch (err) {
      const e = err as Error;
      const timeout = e.name === 'TimeoutError' || e.name === 'AbortError';
      return { ok: false, reason: timeout ? 'timeout' : 'unreachable', error: `${url}: ${e.message}` };
    }
    try {
      const body = await res.text();
      if (res.status !== 200) return { ok: false, reason: 'http_status', error: `${url}: HTTP ${res.status}` };
      return { ok: true, body };
    } catch (err) {
      const e = err as Error;
      return { ok: false, reason: e.name === 'TimeoutError' ? 'timeout' : 'unreachable', error: `${url}: ${e.message}` };
    }
  }

  private async fromCore(): Promise<{ ok: true; samples: Sample[] } | { ok: false; reason: ScrapeFailure; error: string }> {
    const url = `${this.cfg.coreUrl.replace(/\/+$/, '')}/metrics`;
    const got = await this.get(url, 'text/plain;version=0.0.4');
    if (!got.ok) return got;
    const { samples } = parseExposition(got.body, isObservatoryKpiMetric);
    return { ok: true, samples };
  }

  /** The same metrics through the Prometheus HTTP API (instant query on the names the observer reads). */
  private async fromPrometheus(): Promise<{ ok: true; samples: Sample[] } | { ok: false; reason: ScrapeFailure; error: string }> {
    const names = Object.values(OBSERVATORY).join('|');
    const sel = this.cfg.prometheusSelector.trim();
    const query = `{__name__=~"${names}"${sel ? `, ${sel}` : ''}}`;
    const url = `${this.cfg.prometheusUrl!.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`;
    const got = await this.get(url, 'application/json');
    if (!got.ok) return got;
    let body: unknown;
    try {
      body = JSON.parse(got.body);
    } catch {
      return { ok: false, reason: 'parse_error', error: 'Prometheus answered with invalid JSON' };
    }
    const b = body as { status?: string; error?: string; data?: { resultType?: string; result?: unknown[] } };
    if (b.status !== 'success' || b.data?.resultType !== 'vector' || !Array.isArray(b.data.result)) {
      return { ok: false, reason: 'prometheus_error', error: `Prometheus query failed: ${b.error ?? 'unexpected answer'}` };
    }
    const samples: Sample[] = [];
    for (const r of b.data.result) {
      const item = r as { metric?: Record<string, string>; value?: [number, string] };
      if (!item.metric || !Array.isArray(item.value)) continue;
      const { __name__: name, ...labels } = item.metric;
      const value = Number(item.value[1]);
      if (typeof name === 'string' && Number.isFinite(value)) samples.push({ name, labels, value });
    }
    return { ok: true, samples };
  }

  /** Serves /metrics and /health on cfg.port, scrapes once, then every interval (each scrape scheduled when the previous one ends). */
  start(): Promise<void> {
    return this.lifecycle.start();
  }

  /** Closes the listener and stops scraping (a scrape in flight is awaited). */
  stop(): Promise<void> {
    return this.lifecycle.stop();
  }

  private async doStart(): Promise<void> {
    await this.listen();
    await this.scrapeOnce();
    this.running = true;
    const loop = (): void => {
      if (!this.running) return;
      void this.scrapeOnce().finally(() => {
        if (this.running) this.timer = this.clock.setTimeout(loop, this.cfg.intervalSeconds * 1000);
      });
    };
    this.timer = this.clock.setTimeout(loop, this.cfg.intervalSeconds * 1000);
  }

  private async listen(): Promise<void> {
    this.server = await listenHttp(
      (req, res) => {
        const url = (req.url ?? '/').split('?')[0];
        if (req.method === 'GET' && url === '/metrics') {
          this.registry
            .metrics()
            .then((text) => {
              res.writeHead(200, { 'content-type': this.registry.contentType });
              res.end(text);
            })
            .catch((err: Error) => {
              res.writeHead(500, { 'content-type': 'text/plain' });
              res.end(err.message);
            });
          return;
        }
        if (req.method === 'GET' && url === '/health') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: this.current() ? 'ok' : 'degraded', kpis_fresh: Boolean(this.current()) }));
          return;
        }
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'not found' }));
      },
      { port: this.cfg.port, bindAddress: this.cfg.bindAddress, stopGraceMs: 0 },
    );
  }

  /** The bound port of the observer's listener (after start). */
  get port(): number | undefined {
    return this.server?.port;
  }

  private async doStop(): Promise<void> {
    this.running = false;
    if (this.timer) this.clock.clearTimeout(this.timer);
    await this.server?.stop();
    await this.inFlight?.catch(() => undefined);
  }
}
