import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpListenOptions {
  /** 0 = any free port */
  port: number;
  bindAddress: string;
  /** whole-request timeout (Node's `requestTimeout`; default 30 s, 0 = none) */
  requestTimeoutMs?: number;
  /** idle keep-alive connections are closed after this (default 65 s, longer than the usual client pools) */
  keepAliveTimeoutMs?: number;
  /** on stop, connections still busy after this are closed (default 2 s; 0 = at once) */
  stopGraceMs?: number;
}

/** A bound HTTP server; `stop()` is idempotent. */
export interface HttpListener {
  readonly server: http.Server;
  readonly port: number;
  /** stops accepting, closes idle connections now and busy ones after the grace period */
  stop(): Promise<void>;
}

/** Serves `handler` (an express app or a plain request listener) and resolves once bound. */
export function listenHttp(handler: http.RequestListener, o: HttpListenOptions): Promise<HttpListener> {
  const server = http.createServer(handler);
  server.requestTimeout = o.requestTimeoutMs ?? 30_000;
  server.headersTimeout = Math.min(10_000, server.requestTimeout || 10_000);
  server.keepAliveTimeout = o.keepAliveTimeoutMs ?? 65_000;
  const grace = o.stopGraceMs ?? 2000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.bindAddress, () => {
      server.off('error', reject);
      let stopping: Promise<void> | undefined;
      resolve({
        server,
        port: (server.address() as AddressInfo).port,
        stop: () => {
          stopping ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
            if (grace <= 0) server.closeAllConnections();
            else setTimeout(() => server.closeAllConnections(), grace).unref();
          });
          return stopping;
        },
      });
    });
  });
}
