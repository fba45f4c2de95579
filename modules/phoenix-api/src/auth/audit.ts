import crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createLogLimiter, isLoopback, tokenMatches, type Clock, type Logger } from '@phoenix/runtime';
import type { Database } from '../db/database';
import { auditRepo } from '../repo/auditRepo';
import type { ApiMetrics } from '../telemetry/metrics';

/**
 * Who made an operator call: `token` (the machine token), `anonymous:<address>` (a token is configured but
 * was not given), or the `loopback:`/`insecure:<address>` client when no token is configured.
 */
export function actorOf(req: Request, token: string | undefined): string {
  const addr = req.socket.remoteAddress ?? 'unknown';
  if (token !== undefined) return tokenMatches(token, req.get('authorization')) ? 'token' : `anonymous:${addr}`;
  return `${isLoopback(addr) ? 'loopback' : 'insecure'}:${addr}`;
}

/**
 * Records every mutating operator call in audit_log once it is answered: who, the route and path, the sha256
 * of the JSON body, the status and the error (or `ok`). A failed write is counted and logged, never the
 * caller's problem (the database may be what failed).
 */
export function auditTrail(o: { db: Database; clock: Clock; log: Logger; metrics: ApiMetrics; token: string | undefined; route: string }): RequestHandler {
  const limited = createLogLimiter(o.log, { clock: o.clock, first: 3, intervalMs: 60_000 });
  return (req: Request, res: Response, next: NextFunction): void => {
    res.on('finish', () => {
      const body = req.body as unknown;
      const hasBody = body !== undefined && body !== null && !(typeof body === 'object' && Object.keys(body as object).length === 0 && req.method === 'DELETE');
      const entry = {
        at: new Date(o.clock.now()),
        actor: actorOf(req, o.token),
        method: req.method,
        route: o.route,
        path: req.originalUrl.split('?')[0],
        body_sha256: hasBody ? crypto.createHash('sha256').update(JSON.stringify(body)).digest('hex') : null,
        status: res.statusCode,
        result: res.statusCode < 400 ? 'ok' : String((res.locals as { error?: string }).error ?? `HTTP ${res.statusCode}`),
      };
      auditRepo.insert(o.db, entry).then(
        () => o.metrics.auditWrites.inc({ result: 'written' }),
        (err: unknown) => {
          o.metrics.auditWrites.inc({ result: 'failed' });
          limited.warn('audit', 'could not write the audit log', { err: (err as Error).message, route: o.route, status: res.statusCode });
        },
      );
    });
    next();
  };
}
