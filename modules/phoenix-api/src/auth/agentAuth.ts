import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Clock } from '@phoenix/runtime';
import type { SendError } from '@phoenix/runtime';
import { bearer } from './keys';
import type { KeyStore } from './keyStore';

/** The pattern of a host id (X-Agent-Host-ID): 1-253 letters, digits, '.', '_', ':', '-'. */
export const HOST_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** res.locals of an authenticated agent request. */
export interface AgentLocals {
  hostId: string;
  keyId: string;
}

/**
 * The guard of `agent` operations: `X-Agent-Host-ID` (400 when malformed, 401 when missing) and the agent
 * key (401 unknown, wrong or revoked; 403 bound to another host), then a per-host rate limit (429).
 */
export function agentAuth(o: { keys: KeyStore; sendError: SendError; clock: Clock; perMinute: number }): RequestHandler {
  const windows = new Map<string, { start: number; n: number }>();
  return (req: Request, res: Response, next: NextFunction): void => {
    const hostId = req.get('x-agent-host-id');
    const challenge = (): void => {
      res.set('WWW-Authenticate', 'Bearer realm="phoenix-api agents"');
    };
    if (hostId === undefined || hostId === '') {
      challenge();
      o.sendError(res, 401, 'missing X-Agent-Host-ID header (the agent\'s host id)');
      return;
    }
    if (hostId.length > 253 || !HOST_ID_PATTERN.test(hostId)) {
      o.sendError(res, 400, 'invalid X-Agent-Host-ID header', [`X-Agent-Host-ID: must match ${HOST_ID_PATTERN.source} and have at most 253 characters`]);
      return;
    }
    o.keys.authenticate(bearer(req.get('authorization')), hostId).then(
      (r) => {
        if (!r.ok) {
          if (r.status === 401) challenge();
          o.sendError(res, r.status, r.error);
          return;
        }
        const now = o.clock.now();
        let w = windows.get(hostId);
        if (!w || now - w.start >= 60_000) {
          if (windows.size > 200_000) windows.clear();
          w = { start: now, n: 0 };
          windows.set(hostId, w);
        }
        if (++w.n > o.perMinute) {
          res.set('Retry-After', String(Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000))));
          o.sendError(res, 429, `rate limit: at most ${o.perMinute} agent requests per host per minute`);
          return;
        }
        const locals: AgentLocals = { hostId, keyId: r.keyId };
        Object.assign(res.locals, locals);
        next();
      },
      (err: unknown) => next(err),
    );
  };
}
