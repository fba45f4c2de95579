import express, { type Response } from 'express';
import type { Registry } from 'prom-client';
import { installApiGuards, installApiTail, listenHttp, readLimitParam, type HttpListener, type Logger } from '@phoenix/runtime';
import { type ControlError, validateControlOverrideRequest, validateControlTargetRequest } from '@phoenix/contracts';
import type { Controller } from '../controller/controller';
import type { HistoryStore } from '../history/store';
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
    api: config,
    registry,
    sendError,
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

  app.put('/api/v1/target', limiter, authorize, requireJson, json, (req, res) => {
    const v = validateControlTargetRequest(req.body);
    if (!v.ok) {
      sendError(res, 400, 'invalid target request', v.errors);
      return;
    }
    controller.setTarget(v.value);
    log.info('allocation set through the API', { remote: req.socket.remoteAddress, source: v.value.source ?? 'operator' });
    res.json(controller.status());
  });

  app.get('/api/v1/history', (req, res) => {
    const limit = readLimitParam(req.query.limit, config.historyDefaultLimit, config.historyMaxLimit);
    if ('problem' in limit) {
      sendError(res, 400, 'invalid query parameter', [limit.problem]);
      return;
    }
    res.json({ entries: history ? history.list(limit.limit) : [] });
  });

  app.get('/health', (_req, res) => {
    res.json(controller.health());
  });

  // GET /metrics, the JSON 404 and the error handler (body parser errors: a JSON error, never a stack trace)
  installApiTail(app, { registry, log, bodyLimitBytes: config.bodyLimitBytes, sendError: (res, status, error, details) => sendError(res, status, error, details) });
  return app;
}

/** Starts the API; resolves with the server and the bound port. */
export function startApi(deps: ApiDeps): Promise<HttpListener> {
  return listenHttp(createApiApp(deps), { port: deps.config.port, bindAddress: deps.config.bindAddress, requestTimeoutMs: 30_000 });
}
