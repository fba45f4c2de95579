import http from 'node:http';

/** A started HTTP server with its bound port; `close()` is idempotent. */
export interface HttpListener {
  readonly port: number;
  readonly server: http.Server;
  close(): Promise<void>;
}

/** Listens on host:port (port 0 = any free port) and resolves once bound. */
export function listenHttp(host: string, port: number, handler: http.RequestListener): Promise<HttpListener> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    server.keepAliveTimeout = 65_000;
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const addr = server.address();
      const bound = typeof addr === 'object' && addr ? addr.port : port;
      let closing: Promise<void> | undefined;
      resolve({
        port: bound,
        server,
        close: () => {
          closing ??= new Promise<void>((res) => {
            server.close(() => res());
            server.closeAllConnections();
          });
          return closing;
        },
      });
    });
  });
}
