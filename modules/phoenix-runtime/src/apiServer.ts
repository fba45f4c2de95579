import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Registry } from 'prom-client';
import { InvalidInputError, UnavailableError } from './errors';
import type { Logger } from './log';

/** Writes a JSON error body `{error, details?}` with `status`. */
export type SendError = (res: Response, status: number, error: string, details?: string[]) => void;

/**
 * The routes every Phoenix REST API ends with: GET /metrics (the registry), a JSON 404, and an
 * error handler that turns body-parser failures into 413/400/415, an InvalidInputError into 400, an
 * UnavailableError into 503 with Retry-After, and anything else into a logged 500, never a stack trace. Install it after the API's own routes.
 */
export function installApiTail(app: express.Express, o: { registry: Registry; log: Logger; bodyLimitBytes: number; sendError: SendError }): void {
  const { registry, log, sendError } = o;
  app.get('/metrics', async (_req, res) => {
    try {
      const text = await registry.metrics();
      res.set('content-type', registry.contentType).send(text);
    } catch (err) {
      sendError(res, 500, `metrics unavailable: ${(err as Error).message}`);
    }
  });
  app.use((_req: Request, res: Response) => sendError(res, 404, 'no such route'));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.too.large') return sendError(res, 413, `the body is larger than ${o.bodyLimitBytes} bytes`);
    if (e.type === 'entity.parse.failed') return sendError(res, 400, 'the body is not valid JSON', [`(document): ${e.message ?? 'parse error'}`]);
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return sendError(res, 415, e.message ?? 'unsupported encoding');
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return sendError(res, e.status, e.message ?? 'bad request');
    if (err instanceof InvalidInputError) return sendError(res, 400, err.message);
    if (err instanceof UnavailableError) {
      res.set('Retry-After', String(err.retryAfterSeconds));
      return sendError(res, 503, err.message);
    }
    log.error('API request failed', { err });
    return sendError(res, 500, 'internal error');
  });
}

/**
 * The `limit` query parameter of a list route: `defaultLimit` when absent, else an integer from 1 to
 * `maxLimit`; otherwise the problem, as a 400's detail (`limit: must be an integer from 1 to 1000 (got "x")`).
 */
export function readLimitParam(raw: unknown, defaultLimit: number, maxLimit: number): { limit: number } | { problem: string } {
  if (raw === undefined) return { limit: defaultLimit };
  const s = Array.isArray(raw) ? undefined : String(raw);
  if (s === undefined || !/^\d+$/.test(s) || Number(s) < 1 || Number(s) > maxLimit) {
    return { problem: `limit: must be an integer from 1 to ${maxLimit} (got ${JSON.stringify(raw)})` };
  }
  return { limit: Number(s) };
}
