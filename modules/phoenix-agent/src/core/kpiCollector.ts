import type { KpiSample } from '@phoenix/contracts';
import { createLogLimiter, parseExposition, type Clock, type Logger, type LogLimiter, type TimerHandle } from '@phoenix/runtime';
import { httpRequest } from '../net/httpRequest';
import type { Metric, MetricsRegistry } from '../telemetry/metrics';
import { coreDownSample, isObservatoryMetric, readCore, type CoreReading } from './kpiSample';

export interface KpiCollectorDeps {
  /** the observatory base URL */
  url: string;
  timeoutMs: number;
  clock: Clock;
  log: Logger;
  registry: MetricsRegistry;
  /** every reading: the sample (without its seq) and what else the scrape said; `reading` is undefined when the core did not answer */
  onSample: (sample: Omit<KpiSample, 'seq'>, reading: CoreReading | undefined) => void;
}

/** Lines of the last scrape kept for collect_diagnostics. */
const EXCERPT_LINES = 400;

/**
 * Scrapes the core's observatory every metrics interval into a KPI sample (a failed scrape gives a sample
 * with core_up false). One scrape at a time; the interval can change (the API's metrics_interval_seconds).
 */
export class KpiCollector {
  private timer: TimerHandle | undefined;
  private stopped = false;
  private previous: CoreReading['ingest'];
  private intervalMs = 10_000;
  private readonly limiter: LogLimiter;
  private readonly scrapes: Metric;
  /** the phoenix_* lines of the last successful scrape */
  excerpt: string[] = [];
  last: { sample: Omit<KpiSample, 'seq'>; reading: CoreReading | undefined; at: number } | undefined;

  constructor(private readonly d: KpiCollectorDeps) {
    this.limiter = createLogLimiter(d.log, { first: 3, intervalMs: 300_000, clock: d.clock });
    this.scrapes = d.registry.counter('phoenix_agent_core_scrapes_total', "Scrapes of the core's observatory, by outcome (ok, failed).", ['outcome']);
  }

  start(intervalSeconds: number): void {
    this.intervalMs = intervalSeconds * 1000;
    this.schedule(0);
  }

  /** A new interval, from the next scrape on. */
  setInterval(intervalSeconds: number): void {
    this.intervalMs = intervalSeconds * 1000;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.d.clock.clearTimeout(this.timer);
  }

  /** One scrape now: a sample for onSample. */
  async collect(): Promise<void> {
    const now = this.d.clock.now();
    let sample: Omit<KpiSample, 'seq'>;
    let reading: CoreReading | undefined;
    try {
      const text = await this.scrape();
      reading = readCore(parseExposition(text, { wanted: isObservatoryMetric }).samples, now, this.previous);
      this.previous = reading.ingest;
      sample = reading.sample;
      this.excerpt = text.split('\n').filter((l) => l.startsWith('phoenix_')).slice(0, EXCERPT_LINES);
      this.scrapes.inc({ outcome: 'ok' });
    } catch (err) {
      sample = coreDownSample(now);
      this.scrapes.inc({ outcome: 'failed' });
      this.limiter.warn('scrape', "could not read the core's observatory", { url: this.d.url, error: (err as Error).message });
    }
    this.last = { sample, reading, at: now };
    try {
      this.d.onSample(sample, reading);
    } catch (err) {
      this.d.log.error('KPI sample handling failed', { err });
    }
  }

  /** The control generation in force on the core now (no sample is made); undefined when it does not answer. */
  async generation(): Promise<number | undefined> {
    try {
      const text = await this.scrape();
      return readCore(parseExposition(text, { wanted: isObservatoryMetric }).samples, this.d.clock.now(), undefined).generation;
    } catch {
      return undefined;
    }
  }

  private async scrape(): Promise<string> {
    const res = await httpRequest(`${this.d.url.replace(/\/+$/, '')}/metrics`, { timeoutMs: this.d.timeoutMs, headers: { accept: 'text/plain' } });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    return res.text;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.d.clock.setTimeout(async () => {
      await this.collect();
      this.schedule(this.intervalMs);
    }, ms);
  }
}
