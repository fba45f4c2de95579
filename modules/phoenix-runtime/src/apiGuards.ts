import crypto from 'node:crypto';
import type express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { rateLimit as RateLimit } from 'express-rate-limit';
import type { Counter as PromCounter, Registry } from 'prom-client';
import type { RestApiConfig } from './restApiConfig';
import { isLoopback } from './configErrors';

/**
 * express, express-rate-limit and prom-client are loaded when a REST API is first built, not when the
 * runtime is imported: a service without one (phoenix-agent, whose idle target is < 50 MB RSS) would
 * otherwise pay ~20 MB for them.
 */
function onFirstUse<T>(id: string): () => T {
  let loaded: T | undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load (see above)
  return () => (loaded ??= require(id) as T);
}
const expressModule = onFirstUse<typeof express>('express');
const rateLimitModule = onFirstUse<{ rateLimit: typeof RateLimit }>('express-rate-limit');
const promClientModule = onFirstUse<{ Counter: typeof PromCounter }>('prom-client');

/** Compares a bearer token in constant time (hashes first, so lengths do not leak). */
export function tokenMatches(expected: string, header: string | undefined): boolean {
  if (!header) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return false;
  const a = crypto.createHash('sha256').update(m[1]).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

export interface ApiGuardOptions {
  /** `phoenix_<service>_api_requests_total` */
  metricName: string;
  metricHelp: string;
  /** the realm of the WWW-Authenticate challenge */
  realm: string;
  /** the service's REST settings: token, insecure mode, rate limit, body limit */
  api: Pick<RestApiConfig, 'token' | 'allowInsecure' | 'rateLimitPerMinute' | 'bodyLimitBytes'>;
  registry: Registry;
  /** writes an error body in the service's contract shape */
  sendError: (res: Response, status: number, error: string) => void;
}

export interface ApiGuards {
  /** bearer token when one is set; otherwise loopback clients only (unless insecure is allowed) */
  authorize: RequestHandler;
  /** per-client rate limit of mutating routes */
  limiter: RequestHandler;
  /** 415 unless the body is JSON */
  requireJson: RequestHandler;
  /** parses the JSON body with the size limit */
  json: RequestHandler;
}

/**
 * The request plumbing every Phoenix REST API shares: counts requests by route, method and status
 * on `app`, and returns the guards for mutating routes (auth, rate limit, JSON body).
 */
export function installApiGuards(app: express.Express, o: ApiGuardOptions): ApiGuards {
  const { Counter } = promClientModule();
  const { rateLimit } = rateLimitModule();
  const requests = new Counter({ name: o.metricName, help: o.metricHelp, labelNames: ['route', 'method', 'status'], registers: [o.registry] });
  app.use((req, res, next) => {
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      requests.inc({ route, method: req.method, status: String(res.statusCode) });
    });
    next();
  });
  const authorize = (req: Request, res: Response, next: NextFunction): void => {
    if (o.api.token) {
      if (!tokenMatches(o.api.token, req.get('authorization'))) {
        res.set('WWW-Authenticate', `Bearer realm="${o.realm}"`);
        o.sendError(res, 401, 'missing or wrong bearer token (Authorization: Bearer <PHOENIX_API_TOKEN>)');
        return;
      }
    } else if (!o.api.allowInsecure && !isLoopback(req.socket.remoteAddress)) {
      o.sendError(res, 403, 'no PHOENIX_API_TOKEN is configured: mutating routes only accept loopback clients');
      return;
    }
    next();
  };
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: o.api.rateLimitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => o.sendError(res, 429, `rate limit: at most ${o.api.rateLimitPerMinute} mutating requests per minute`),
  });
  const requireJson = (req: Request, res: Response, next: NextFunction): void => {
    const type = req.get('content-type');
    if (!type || !/^application\/(.+\+)?json\b/i.test(type)) {
      o.sendError(res, 415, 'the body must be application/json');
      return;
    }
    next();
  };
  return { authorize, limiter, requireJson, json: expressModule().json({ limit: o.api.bodyLimitBytes, type: () => true }) };
}
