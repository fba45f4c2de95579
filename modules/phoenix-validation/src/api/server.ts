import express, { type Response } from 'express';
import type { Registry } from 'prom-client';
import { installApiGuards, installApiTail, listenHttp, readLimitParam, type HttpListener, type Logger } from '@phoenix/runtime';
import { type ValidationError, type ValidationHealth, validateValidationBenchmarkRequest } from '@phoenix/contracts';
import { isRunState, RUN_STATES } from '../lifecycle/stateMachine';
import { RunConflictError, UnknownScenarioError, type RunManager } from '../runner/manager';
import { BusyError, UnknownRunError } from '../store/store';
import type { ApiConfig } from './config';

export interface ApiDeps {
  config: ApiConfig;
  manager: RunManager;
  registry: Registry;
  log: Logger;
  health: () => ValidationHealth;
}

function sendError(res: Response, status: number, error: string, details?: string[], runId?: string): void {
  const body: ValidationError = { error };
  if (details && details.length > 0) body.details = details;
  if (runId) body.run_id = runId;
  res.status(status).json(body);
}

/** Maps the manager's errors to HTTP statuses. */
function sendManagerError(res: Response, err: unknown, log: Logger): void {
  if (err instanceof UnknownScenarioError) return sendError(res, 400, err.message, [`scenario: must be one of ${err.known.join(', ')}`]);
  if (err instanceof BusyError) return sendError(res, 409, `run ${err.runId} is ${err.state}: one run at a time`, undefined, err.runId);
  if (err instanceof UnknownRunError) return sendError(res, 404, err.message);
  if (err instanceof RunConflictError) return sendError(res, 409, err.message, undefined, err.runId);
  log.error('API request failed', { err });
  return sendError(res, 500, 'internal error');
}

/** The benchmark REST API (OpenAPI: contracts/openapi/validation.openapi.yaml). */
export function createApiApp(deps: ApiDeps): express.Express {
  const { config, manager, registry, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const { authorize, limiter, requireJson, json } = installApiGuards(app, {
    metricName: 'phoenix_validation_api_requests_total',
    metricHelp: 'Benchmark API requests by route, method and status code.',
    realm: 'phoenix-validation',
    api: config,
    registry,
    sendError,
  });

  app.get('/api/v1/benchmarks', (req, res) => {
    const problems: string[] = [];
    const limit = readLimitParam(req.query.limit, config.listDefaultLimit, config.listMaxLimit);
    if ('problem' in limit) problems.push(limit.problem);
    const rawState = req.query.state;
    if (rawState !== undefined && !isRunState(rawState)) problems.push(`state: must be one of ${RUN_STATES.join(', ')} (got ${JSON.stringify(rawState)})`);
    if (problems.length > 0) {
      sendError(res, 400, 'invalid query parameter', problems);
      return;
    }
    res.json({ runs: manager.list({ limit: 'limit' in limit ? limit.limit : config.listDefaultLimit, state: isRunState(rawState) ? rawState : undefined }) });
  });

  app.post('/api/v1/benchmarks', limiter, authorize, requireJson, json, (req, res) => {
    const v = validateValidationBenchmarkRequest(req.body);
    if (!v.ok) {
      sendError(res, 400, 'invalid benchmark request', v.errors);
      return;
    }
    try {
      const run = manager.start(v.value.scenario, v.value.time_scale ?? 1);
      log.info('benchmark requested through the API', { run: run.id, scenario: run.scenario, time_scale: run.time_scale, remote: req.socket.remoteAddress });
      res.status(202).location(run.links.self).json(run);
    } catch (err) {
      sendManagerError(res, err, log);
    }
  });

  app.get('/api/v1/benchmarks/:id', (req, res) => {
    const run = manager.view(String(req.params.id));
    if (!run) {
      sendError(res, 404, `no run ${req.params.id}`);
      return;
    }
    res.json(run);
  });

  app.delete('/api/v1/benchmarks/:id', limiter, authorize, async (req, res) => {
    try {
      res.json(await manager.cancel(String(req.params.id), `cancelled through the API (${req.socket.remoteAddress ?? 'unknown client'})`));
    } catch (err) {
      sendManagerError(res, err, log);
    }
  });

  app.get('/api/v1/benchmarks/:id/result', (req, res) => {
    try {
      res.json(manager.result(String(req.params.id)));
    } catch (err) {
      sendManagerError(res, err, log);
    }
  });

  app.get('/api/v1/benchmarks/:id/report', (req, res) => {
    try {
      const html = manager.report(String(req.params.id));
      res.set('content-type', 'text/html; charset=utf-8').set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:").send(html);
    } catch (err) {
      sendManagerError(res, err, log);
    }
  });

  app.get('/api/v1/scenarios', (_req, res) => {
    res.json(manager.catalog);
  });

  app.get('/health', (_req, res) => {
    res.json(deps.health());
  });

  // GET /metrics, the JSON 404 and the error handler (body parser errors: a JSON error, never a stack trace)
  installApiTail(app, { registry, log, bodyLimitBytes: config.bodyLimitBytes, sendError: (res, status, error, details) => sendError(res, status, error, details) });
  return app;
}

/** Starts the API; resolves with the server and the bound port. */
export function startApi(deps: ApiDeps): Promise<HttpListener> {
  return listenHttp(createApiApp(deps), { port: deps.config.port, bindAddress: deps.config.bindAddress, requestTimeoutMs: 60_000 });
}
