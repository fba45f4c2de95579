import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Registry } from 'prom-client';
import { installApiGuards } from '@phoenix/runtime';
import type { ControlError } from '../contracts';
import { validateControlOverrideRequest } from '../contracts';
import type { Controller } from '../controller/controller';
import type { HistoryStore } from '../history/store';
import type { Logger } from '@phoenix/runtime';
import type { ApiConfig } from './config';

export interface ApiDeps {
  config: ApiConfig;
  controller: Controller;
  history?: HistoryStore;
  registry: Registry;
  log: Logger;
}

function sendError(res: Response, status: number, error: string, details?: string[]): void {
  const body: ControlError = details && details.length > 0 ? { error, details } : { error };
  res.status(status).json(body);
}


/** The control REST API (OpenAPI: contracts/openapi/control.openapi.yaml). */
export function createApiApp(deps: ApiDeps): express.Express {
  const { config, controller, history, registry, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const { authorize, limiter, requireJson, json } = installApiGuards(app, {
    metricName: 'phoenix_control_api_requests_total',
    metricHelp: 'Control API requests by route, method and status code.',
    realm: 'phoenix-control',
    token: config.token,
    allowInsecure: config.allowInsecure,
    rateLimitPerMinute: config.rateLimitPerMinute,
    bodyLimitBytes: config.bodyLimitBytes,
    registry,
    sendError: (res, status, error) => sendError(res, status, error),
  });

  app.get('/api/v1/status', (_req, res) => {
    res.json(controller.status());
  });

  app.post('/api/v1/control', limiter, authorize, requireJson, json, (req, res) => {
    const v = validateControlOverrideRequest(req.body);
    if (!v.ok) {
      sendError(res, 400, 'invalid override request', v.errors);
      return;
    }
    controller.setOverride(v.value);
    log.info('override requested through the API', { remote: req.socket.remoteAddress });
    res.json(controller.status());
  });

  app.delete('/api/v1/control', limiter, authorize, (_req, res) => {
    controller.clearOverride();
    res.json(controller.status());
  });

  app.get('/api/v1/history', (req, res) => {
    const raw = req.query.limit;
    let limit = config.historyDefaultLimit;
    if (raw !== undefined) {
      const s = Array.isArray(raw) ? undefined : String(raw);
      if (s === undefined || !/^\d+$/.test(s) || Number(s) < 1 || Number(s) > config.historyMaxLimit) {
        sendError(res, 400, 'invalid query parameter', [`limit: must be an integer from 1 to ${config.historyMaxLimit} (got ${JSON.stringify(raw)})`]);
        return;
      }
      limit = Number(s);
    }
    res.json({ entries: history ? history.list(limit) : [] });
  });

  app.get('/metrics', async (_req, res) => {
    try {
      const text = await registry.metrics();
      res.set('content-type', registry.contentType).send(text);
    } catch (err) {
      sendError(res, 500, `metrics unavailable: ${(err as Error).message}`);
    }
  });

  app.get('/health', (_req, res) => {
    res.json(controller.health());
  });

  app.use((_req: Request, res: Response) => sendError(res, 404, 'no such route'));

  // Body parser errors (too large, malformed JSON) and anything unexpected: a JSON error, never a stack trace.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.too.large') return sendError(res, 413, `the body is larger than ${config.bodyLimitBytes} bytes`);
    if (e.type === 'entity.parse.failed') return sendError(res, 400, 'the body is not valid JSON', [`(document): ${e.message ?? 'parse error'}`]);
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return sendError(res, 415, e.message ?? 'unsupported encoding');
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return sendError(res, e.status, e.message ?? 'bad request');
    log.error('API request failed', { err });
    return sendError(res, 500, 'internal error');
  });
  return app;
}

/** Starts the API; resolves with the server and the bound port. */
export async function startApi(deps: ApiDeps): Promise<{ server: http.Server; port: number; close(): Promise<void> }> {
  const app = createApiApp(deps);
  const server = http.createServer(app);
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.config.port, deps.config.bindAddress, () => resolve());
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
