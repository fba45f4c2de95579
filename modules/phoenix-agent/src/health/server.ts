import type http from 'node:http';
import { listenHttp, type HttpListener } from '@phoenix/runtime';
import type { MetricsRegistry } from '../telemetry/metrics';
import type { HttpConfig } from './config';

/** The agent's listener: GET /metrics (its registry) and GET /health; nothing else (the agent is outbound only). */
export function startAgentHttp(cfg: HttpConfig, registry: MetricsRegistry, health: () => { status: number; body: Record<string, unknown> }): Promise<HttpListener> {
  const handler: http.RequestListener = (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(405, 'application/json', JSON.stringify({ error: `method ${req.method} not allowed` }));
    }
    if (path === '/metrics') return send(200, 'text/plain; version=0.0.4; charset=utf-8', registry.render());
    if (path === '/health' || path === '/') {
      const h = health();
      return send(h.status, 'application/json', JSON.stringify(h.body));
    }
    send(404, 'application/json', JSON.stringify({ error: `no route ${path} (the agent serves /metrics and /health)` }));
  };
  return listenHttp(handler, { port: cfg.port, bindAddress: cfg.bindAddress, stopGraceMs: 1000 });
}
