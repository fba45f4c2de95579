import type { Logger } from '../log';
import { listenHttp, type HttpListener } from '../exporter/httpListener';

/** GET /health (and /): 200 once every listener is up, 503 before and while shutting down. */
export class HealthServer {
  private listener: HttpListener | undefined;
  private ready = false;
  private stopped = false;
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly host: string,
    private readonly configuredPort: number,
    private readonly log: Logger,
  ) {}

  get port(): number {
    return this.listener?.port ?? this.configuredPort;
  }

  setReady(ready: boolean): void {
    this.ready = ready;
  }

  async start(): Promise<void> {
    this.listener = await listenHttp(this.host, this.configuredPort, (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/' && path !== '/health') {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end('{"error":"not found"}');
        return;
      }
      const body = JSON.stringify({ status: this.ready ? 'ready' : 'starting', upSince: this.startedAt });
      res.writeHead(this.ready ? 200 : 503, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    this.log.info('health endpoint listening', { host: this.host, port: this.listener.port });
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.ready = false;
    await this.listener?.close();
  }
}
