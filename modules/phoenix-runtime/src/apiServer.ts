import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from './log';

/** Writes a JSON error body `{error, details?}` with `status`. */
export type SendError = (res: Response, status: number, error: string, details?: string[]) => void;

/**
 * The routes every Phoenix REST API ends with: GET /metrics (the registry), a JSON 404, and an
 * error handler that turns body-parser failures into 413/400/415 and anything else into a logged
 * 500, never a stack trace. Install it after the API's own routes.
 */
export function installApiTail(app: express.Express, o: { registry: Registry; log: Logger; bodyLimitBytes: number; sendError: SendError }): void {
  const { registry, log, sendError } = o;
  app.get('/metrics', async (_req, res) => {
    try {
      const text = await registry.metrics();
      res.set('content-type', registry.contentType).send(text);
    } catch (err) {
      sendError(res, 500, `metrics unavailable: ${(err as Error).message}`);
    }
  });
  app.use((_req: Request, res: Response) => sendError(res, 404, 'no such route'));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.too.large') return sendError(res, 413, `the body is larger than ${o.bodyLimitBytes} bytes`);
    if (e.type === 'entity.parse.failed') return sendError(res, 400, 'the body is not valid JSON', [`(document): ${e.message ?? 'parse error'}`]);
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return sendError(res, 415, e.message ?? 'unsupported encoding');
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return sendError(res, e.status, e.message ?? 'bad request');
    log.error('API request failed', { err });
    return sendError(res, 500, 'internal error');
  });
}

/** A listening REST API server. */
export interface ApiServer {
  server: http.Server;
  port: number;
  /** stops accepting, closes idle connections now and the rest after 2 s */
  close(): Promise<void>;
}

/** Serves `app` on bindAddress:port (0 = any free port) with the given request timeout. */
export async function listenApi(app: express.Express, o: { port: number; bindAddress: string; requestTimeoutMs: number }): Promise<ApiServer> {
  const server = http.createServer(app);
  server.requestTimeout = o.requestTimeoutMs;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.bindAddress, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      }),
  };
}
