import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';

/** A listening API server. */
export interface ApiServer {
  server: http.Server;
  port: number;
  close(): Promise<void>;
}

/** Listens on `host:port` (port 0 picks a free one). */
export function startApiServer(app: express.Express, host: string, port: number): Promise<ApiServer> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app);
    server.keepAliveTimeout = 5_000;
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const actual = (server.address() as AddressInfo).port;
      resolve({
        server,
        port: actual,
        close: () =>
          new Promise<void>((res) => {
            server.closeAllConnections();
            server.close(() => res());
          }),
      });
    });
  });
}
