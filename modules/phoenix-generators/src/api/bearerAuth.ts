import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { isLoopbackAddress } from './apiConfig';

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/**
 * Guards mutating routes. With a token: `Authorization: Bearer <token>` or 401. Without a token:
 * loopback clients only (403 otherwise) unless `allowInsecure`.
 */
export function bearerAuth(token: string | undefined, allowInsecure: boolean): RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return (req, res, next) => {
    if (expected) {
      const header = req.get('authorization') ?? '';
      const m = /^Bearer\s+(.+)$/i.exec(header.trim());
      if (!m || !timingSafeEqual(digest(m[1]), expected)) {
        res.set('WWW-Authenticate', 'Bearer realm="phoenix-generators"');
        res.status(401).json({ error: m ? 'invalid bearer token' : 'missing bearer token (Authorization: Bearer <PHOENIX_API_TOKEN>)' });
        return;
      }
    } else if (!allowInsecure && !isLoopbackAddress(req.socket.remoteAddress)) {
      res.status(403).json({ error: 'no PHOENIX_API_TOKEN is configured: mutating routes only accept loopback clients' });
      return;
    }
    next();
  };
}
