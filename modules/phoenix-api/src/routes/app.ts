import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { installApiGuards, installApiTail, type SendError } from '@phoenix/runtime';
import type { ApiError } from '@phoenix/contracts';
import type { ApiHttpConfig } from '../api/config';
import { agentAuth } from '../auth/agentAuth';
import { auditTrail } from '../auth/audit';
import { agentHandlers } from './agentRoutes';
import type { ApiContext, Handler } from './context';
import { fleetHandlers } from './fleetRoutes';
import { loadOperations, type Operation } from './openapi';
import { taskHandlers } from './taskRoutes';

/** Every operation's handler, by operationId; `metrics` is the tail's GET /metrics. */
export const HANDLERS: Record<string, Handler | 'tail'> = { ...agentHandlers, ...fleetHandlers, ...taskHandlers, metrics: 'tail' };

/** Writes `{error, details?}` (api_error.schema.json) and keeps the message for the audit log. */
export const sendError: SendError = (res, status, error, details) => {
  const body: ApiError = details && details.length > 0 ? { error, details } : { error };
  (res.locals as { error?: string }).error = error;
  res.status(status).json(body);
};

/**
 * The phoenix-api app. Routes are registered from contracts/openapi/api.openapi.yaml: each operation gets
 * the guard of its `x-phoenix-role` (agent: key + host id; operator/admin: the machine token, or loopback
 * clients without one, rate-limited and audited; viewer/public: open), its parameters and body are
 * validated (400 with one line per schema error), then its handler runs. A document operation without a
 * handler, or a handler without an operation, stops the start.
 */
export function createApp(ctx: ApiContext, config: ApiHttpConfig, operations: Operation[] = loadOperations()): express.Express {
  const documented = new Set(operations.map((o) => o.id));
  const missing = operations.filter((o) => !HANDLERS[o.id]).map((o) => o.id);
  const extra = Object.keys(HANDLERS).filter((id) => !documented.has(id));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`routes and contracts/openapi/api.openapi.yaml disagree: no handler for ${missing.join(', ') || '-'}; not documented: ${extra.join(', ') || '-'}`);
  }
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  const guards = installApiGuards(app, {
    metricName: 'phoenix_api_requests_total',
    metricHelp: 'phoenix-api requests by route, method and status code.',
    realm: 'phoenix-api',
    api: config,
    registry: ctx.registry,
    sendError,
  });
  const agent = agentAuth({ keys: ctx.keys, sendError, clock: ctx.clock, perMinute: config.agentRateLimitPerMinute });
  for (const op of operations) {
    const handler = HANDLERS[op.id];
    if (handler === 'tail') continue;
    const chain: RequestHandler[] = [];
    if (op.role === 'agent') chain.push(agent);
    if (op.role === 'operator' || op.role === 'admin') {
      // audited first, so refused calls (401, 403, 429) are recorded too
      if (op.method !== 'get') chain.push(auditTrail({ db: ctx.db, clock: ctx.clock, log: ctx.log, metrics: ctx.metrics, token: ctx.token, route: `${op.method.toUpperCase()} ${op.path}` }));
      chain.push(guards.limiter, guards.authorize);
    }
    if (op.body) chain.push(guards.requireJson, guards.json);
    chain.push(handle(ctx, op, handler));
    app[op.method](op.expressPath, ...chain);
  }
  installApiTail(app, { registry: ctx.registry, log: ctx.log, bodyLimitBytes: config.bodyLimitBytes, sendError });
  return app;
}

function handle(ctx: ApiContext, op: Operation, handler: Handler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const params = op.params(req.params as Record<string, string>, req.query as Record<string, unknown>);
    if (!params.ok) {
      sendError(res, 400, 'invalid parameters', params.errors);
      return;
    }
    let body: unknown;
    if (op.body) {
      const v = op.body(req.body);
      if (!v.ok) {
        sendError(res, 400, 'invalid body', v.errors);
        return;
      }
      body = v.value;
    }
    handler(ctx, { ...params.value, body, req, res }).then(
      (reply) => {
        if (res.headersSent || res.writableEnded) return;
        if (reply.headers) res.set(reply.headers);
        if (reply.body === undefined) res.status(reply.status).end();
        else res.status(reply.status).json(reply.body);
      },
      (err: unknown) => {
        if ((err as { name?: string }).name === 'UnavailableError') ctx.metrics.dbErrors.inc({ kind: 'unavailable' });
        next(err);
      },
    );
  };
}
