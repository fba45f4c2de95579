import type http from 'node:http';
import { ConfigErrors, type Logger } from '@phoenix/runtime';
import { HttpEndpoint } from '../listener/httpEndpoint';
import type { ChunkPool } from './chunkPool';
import { ExpositionWriter } from './expositionWriter';

/** Configuration of one Prometheus pull endpoint. */
export interface PrometheusExporterConfig {
  host: string;
  /** 0 picks a free port */
  port: number;
  path: string;
}

/** Returns the problems of a config, each `key: problem` (see ConfigErrors); empty when valid. */
export function validatePrometheusExporterConfig(name: string, c: PrometheusExporterConfig): string[] {
  const e = new ConfigErrors();
  e.nonEmpty(`exporters.${name}.host`, c.host);
  e.port(`exporters.${name}.port`, c.port);
  if (!c.path.startsWith('/')) e.add(`exporters.${name}.path`, `must start with "/" (got ${JSON.stringify(c.path)})`);
  return e.messages;
}

export const TEXT_FORMAT = 'text/plain; version=0.0.4; charset=utf-8';

/** An exposition rendered elsewhere (the merged parts of a sharded core's shards). */
export interface RenderedExposition {
  chunks: Buffer[];
  /** sample lines */
  series: number;
  /** CPU time the rendering took */
  seconds: number;
}

/**
 * Source of an exposition, called on every scrape: renders into `w` at once, returns the steps
 * of an incremental render (see Pipeline.renderSteps), which the exporter streams, or a promise
 * of an exposition rendered elsewhere.
 */
export type RenderFn = (w: ExpositionWriter) => void | Iterator<unknown> | Promise<RenderedExposition>;

/** Bytes of output an incremental render may run ahead of the socket (default). */
export const STREAM_AHEAD_BYTES = 4 << 20;

/** Serves one pipeline's output in the Prometheus text format on GET {path}. */
export class PrometheusExporter extends HttpEndpoint {
  constructor(
    readonly name: string,
    private readonly config: PrometheusExporterConfig,
    private readonly render: RenderFn,
    private readonly log: Logger,
    private readonly onRendered?: (seconds: number, series: number) => void,
    /** output chunks reused across scrapes (see ChunkPool) */
    private readonly pool?: ChunkPool,
    /** how far an incremental render may run ahead of the socket */
    private readonly streamAheadBytes = STREAM_AHEAD_BYTES,
  ) {
    super('Prometheus exporter', config, log, { exporter: name, path: config.path });
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse): void {
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
    const w = new ExpositionWriter(this.pool);
    void this.respond(req, res, w).catch((err: unknown) => {
      this.log.error('serving the exposition failed', { exporter: this.name, err });
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('internal error while rendering metrics\n');
      } else res.destroy();
    });
  }

  /**
   * Renders and sends. An incremental render is streamed (chunked): its steps run until about
   * streamAheadBytes are ready, which are written while the next steps run, and a chunk goes back
   * to the pool as soon as the socket took it, so a scrape of a million series holds a few MiB of
   * output instead of the whole exposition. Between steps ingest goes on; each series is written
   * whole, from one moment.
   */
  private async respond(req: http.IncomingMessage, res: http.ServerResponse, w: ExpositionWriter): Promise<void> {
    let closed = false;
    res.once('close', () => {
      closed = true;
      w.release();
    });
    let busy = 0n;
    let t = process.hrtime.bigint();
    const steps = this.render(w);
    if (steps instanceof Promise) {
      const done = await steps;
      if (closed) return;
      let length = 0;
      for (const c of done.chunks) length += c.length;
      res.writeHead(200, { 'Content-Type': TEXT_FORMAT, 'Content-Length': length });
      this.onRendered?.(done.seconds, done.series);
      if (req.method !== 'HEAD') for (const c of done.chunks) res.write(c);
      res.end();
      return;
    }
    const send = (all: boolean): boolean => {
      let ok = true;
      for (const [bytes, chunk] of w.takeCompleted(all)) {
        ok = res.write(bytes, () => chunk && this.pool?.release([chunk]));
      }
      return ok;
    };
    if (!steps) {
      busy = process.hrtime.bigint() - t;
      res.writeHead(200, { 'Content-Type': TEXT_FORMAT, 'Content-Length': w.byteLength });
    } else {
      let done = false;
      while (!done && !closed) {
        while (w.completedBytes < this.streamAheadBytes) {
          if (steps.next().done) {
            done = true;
            break;
          }
        }
        busy += process.hrtime.bigint() - t;
        if (!res.headersSent) {
          res.writeHead(200, { 'Content-Type': TEXT_FORMAT });
          if (req.method === 'HEAD') break;
        }
        if (done) break;
        if (!send(false)) {
          await new Promise<void>((resolve) => {
            const go = (): void => {
              res.off('drain', go);
              res.off('close', go);
              resolve();
            };
            res.on('drain', go);
            res.on('close', go);
          });
        }
        t = process.hrtime.bigint();
      }
      if (closed) return;
    }
    this.onRendered?.(Number(busy) / 1e9, w.series);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    send(true);
    res.end();
  }
}
