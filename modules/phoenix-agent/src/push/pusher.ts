import { createLogLimiter, type Clock, type Logger, type LogLimiter } from '@phoenix/runtime';
import { httpRequest } from '../net/httpRequest';
import type { Metric, MetricsRegistry } from '../telemetry/metrics';
import type { PushConfig } from './config';

/**
 * Pushes the agent's registry (its KPIs and its own metrics) to the Pushgateway with
 * `PUT /metrics/job/<job>/instance/<host id>`: PUT replaces the whole group, so a series the agent stopped
 * exposing disappears there too. The text format over node:http rather than prom-client's Pushgateway
 * client: the agent's metrics are not prom-client's (see telemetry/metrics.ts), and this is one request.
 * A failed push is counted and logged (rate-limited); the next interval pushes again.
 */
export class Pusher {
  private readonly pushes: Metric;
  private readonly limiter: LogLimiter;
  private readonly target: string | undefined;
  private inFlight = false;

  constructor(
    private readonly cfg: PushConfig,
    hostId: string,
    private readonly registry: MetricsRegistry,
    clock: Clock,
    log: Logger,
  ) {
    this.pushes = registry.counter('phoenix_agent_pushes_total', 'Pushes to the Pushgateway, by outcome (ok, failed).', ['outcome']);
    this.limiter = createLogLimiter(log, { first: 3, intervalMs: 300_000, clock });
    this.target = cfg.url ? `${cfg.url.replace(/\/+$/, '')}/metrics/job/${encodeURIComponent(cfg.job)}/instance/${encodeURIComponent(hostId)}` : undefined;
  }

  /** The group URL (undefined without a Pushgateway). */
  get url(): string | undefined {
    return this.target;
  }

  /** Pushes now; a push still in flight makes this one a no-op. Never throws. */
  async push(): Promise<boolean> {
    if (!this.target || this.inFlight) return false;
    this.inFlight = true;
    try {
      // the ok series exists (at 0) from the first push on
      this.pushes.inc({ outcome: 'ok' }, 0);
      const res = await httpRequest(this.target, {
        method: 'PUT',
        body: this.registry.render(),
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
        timeoutMs: this.cfg.timeoutSeconds * 1000,
      });
      if (res.status !== 200 && res.status !== 202) throw new Error(`HTTP ${res.status}: ${res.text.slice(0, 300)}`);
      this.pushes.inc({ outcome: 'ok' });
      return true;
    } catch (err) {
      this.pushes.inc({ outcome: 'failed' });
      this.limiter.warn('push', 'push to the Pushgateway failed', { url: this.target, error: (err as Error).message });
      return false;
    } finally {
      this.inFlight = false;
    }
  }
}
