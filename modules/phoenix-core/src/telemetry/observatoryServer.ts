import type http from 'node:http';
import type { Logger } from '@phoenix/runtime';
import type { Registry } from 'prom-client';
import { HttpEndpoint } from '../listener/httpEndpoint';

/**
 * The observatory endpoint (:8891/metrics): Phoenix's self-telemetry and KPIs from a prom-client
 * registry. `beforeScrape` refreshes computed gauges (series per pipeline, KPIs) once per scrape.
 */
export class ObservatoryServer extends HttpEndpoint {
  constructor(
    host: string,
    port: number,
    private readonly registry: Registry,
    /** refreshes computed gauges; may be asynchronous (a sharded core asks its shards) */
    private readonly beforeScrape: () => unknown,
    private readonly log: Logger,
  ) {
    super('observatory', { host, port }, log);
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found; metrics are at /metrics\n');
      return;
    }
    const refreshed = (async () => {
      try {
        await this.beforeScrape();
      } catch (err) {
        this.log.error('computing observatory KPIs failed', { err });
      }
    })();
    refreshed.then(() => this.registry.metrics()).then(
      (text) => {
        res.writeHead(200, { 'Content-Type': this.registry.contentType });
        res.end(text);
      },
      (err: unknown) => {
        this.log.error('rendering observatory metrics failed', { err });
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('internal error\n');
      },
    );
  }
}
