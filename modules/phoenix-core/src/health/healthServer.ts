import type { Lifecycle, Logger } from '@phoenix/runtime';
import { HttpEndpoint } from '../listener/httpEndpoint';

/** GET /health (and /): 200 once every listener is up, 503 before and while stopping. */
export class HealthServer implements Lifecycle {
  private readonly endpoint: HttpEndpoint;
  private ready = false;
  private readonly startedAt = new Date().toISOString();

  constructor(host: string, port: number, log: Logger) {
    this.endpoint = new HttpEndpoint('health endpoint', { host, port }, (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/' && path !== '/health') {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end('{"error":"not found"}');
        return;
      }
      const body = JSON.stringify({ status: this.ready ? 'ready' : 'starting', upSince: this.startedAt });
      res.writeHead(this.ready ? 200 : 503, { 'Content-Type': 'application/json' });
      res.end(body);
    }, log);
  }

  get port(): number {
    return this.endpoint.port;
  }

  setReady(ready: boolean): void {
    this.ready = ready;
  }

  start(): Promise<void> {
    return this.endpoint.start();
  }

  stop(): Promise<void> {
    this.ready = false;
    return this.endpoint.stop();
  }
}
