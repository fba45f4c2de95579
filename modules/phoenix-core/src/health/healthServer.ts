import type http from 'node:http';
import type { Logger } from '@phoenix/runtime';
import { HttpEndpoint } from '../listener/httpEndpoint';

/** GET /health (and /): 200 once every listener is up, 503 before and while stopping. */
export class HealthServer extends HttpEndpoint {
  private ready = false;
  private readonly startedAt = new Date().toISOString();

  constructor(host: string, port: number, log: Logger) {
    super('health endpoint', { host, port }, log);
  }

  setReady(ready: boolean): void {
    this.ready = ready;
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/' && path !== '/health') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"error":"not found"}');
      return;
    }
    const body = JSON.stringify({ status: this.ready ? 'ready' : 'starting', upSince: this.startedAt });
    res.writeHead(this.ready ? 200 : 503, { 'Content-Type': 'application/json' });
    res.end(body);
  }

  override stop(reason?: string): Promise<void> {
    this.ready = false;
    return super.stop(reason);
  }
}
