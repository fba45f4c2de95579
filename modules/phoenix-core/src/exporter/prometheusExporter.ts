import type http from 'node:http';
import type { Logger } from '../log';
import type { ChunkPool } from './chunkPool';
import { ExpositionWriter } from './expositionWriter';
import { listenHttp, type HttpListener } from './httpListener';

/** Configuration of one Prometheus pull endpoint. */
export interface PrometheusExporterConfig {
  host: string;
  /** 0 picks a free port */
  port: number;
  path: string;
}

export function validatePrometheusExporterConfig(name: string, c: PrometheusExporterConfig): string[] {
  const errs: string[] = [];
  if (!c.host) errs.push(`exporters.${name}.host: must not be empty`);
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) errs.push(`exporters.${name}.port: must be an integer in 0..65535`);
  if (!c.path.startsWith('/')) errs.push(`exporters.${name}.path: must start with "/"`);
  return errs;
}

export const TEXT_FORMAT = 'text/plain; version=0.0.4; charset=utf-8';

/** Source of an exposition: called on every scrape. */
export type RenderFn = (w: ExpositionWriter) => void;

/** Serves one pipeline's output in the Prometheus text format on GET {path}. */
export class PrometheusExporter {
  private listener: HttpListener | undefined;
  private stopped = false;

  constructor(
    readonly name: string,
    private readonly config: PrometheusExporterConfig,
    private readonly render: RenderFn,
    private readonly log: Logger,
    private readonly onRendered?: (seconds: number, series: number) => void,
    /** output chunks reused across scrapes (see ChunkPool) */
    private readonly pool?: ChunkPool,
  ) {}

  get port(): number {
    return this.listener?.port ?? this.config.port;
  }

  async start(): Promise<void> {
    this.listener = await listenHttp(this.config.host, this.config.port, (req, res) => this.handle(req, res));
    this.log.info('Prometheus exporter listening', { exporter: this.name, host: this.config.host, port: this.listener.port, path: this.config.path });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== this.config.path) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end(`not found; metrics are at ${this.config.path}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
      res.end('method not allowed\n');
      return;
    }
    let body: Buffer[];
    let length: number;
    const started = process.hrtime.bigint();
    const w = new ExpositionWriter(this.pool);
    // the chunks go back to the pool once the response is done with them (sent or aborted)
    res.once('close', () => w.release());
    try {
      this.render(w);
      body = w.buffers();
      length = w.byteLength;
      this.onRendered?.(Number(process.hrtime.bigint() - started) / 1e9, w.series);
    } catch (err) {
      this.log.error('rendering the exposition failed', { exporter: this.name, err });
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('internal error while rendering metrics\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': TEXT_FORMAT, 'Content-Length': length });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    for (let i = 0; i < body.length - 1; i++) res.write(body[i]);
    res.end(body[body.length - 1]);
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.listener?.close();
  }
}
