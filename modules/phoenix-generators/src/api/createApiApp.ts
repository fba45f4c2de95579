import {
  validateGeneratorsLoadSettings,
  validateGeneratorsScenarioStart,
  type GeneratorsError,
  type GeneratorsHealth,
  type GeneratorsScenarioList,
  type LoadProfile,
} from '@phoenix/contracts';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Registry } from 'prom-client';
import type { Logger } from '@phoenix/runtime';
import { LoadRejectedError, type Generator } from '../generator/generator';
import { profileDuration } from '../profiles/scenarioSchedule';
import type { ApiConfig } from './apiConfig';
import { bearerAuth } from './bearerAuth';

/** What the API serves. */
export interface ApiDeps {
  generator: Generator;
  profiles: ReadonlyMap<string, LoadProfile>;
  registry: Registry;
  config: ApiConfig;
  logger: Logger;
}

function sendError(res: Response, status: number, error: string, details?: string[]): void {
  const body: GeneratorsError = details ? { error, details } : { error };
  res.status(status).json(body);
}

/** Whether the request carries a body (Content-Length > 0 or chunked). */
function hasBody(req: Request): boolean {
  const len = req.get('content-length');
  return (len !== undefined && Number(len) > 0) || req.get('transfer-encoding') !== undefined;
}

/**
 * The load-control REST API (contracts/openapi/generators.openapi.yaml): GET/PUT /api/v1/load,
 * POST /api/v1/load/stop, GET /api/v1/scenarios, POST /api/v1/scenarios/{name}/start, GET /api/v1/truth,
 * GET /metrics, GET /health. Mutating routes are rate limited, authenticated and take size-limited JSON
 * validated against the contract schemas (400 with one line per schema error).
 */
export function createApiApp(deps: ApiDeps): express.Express {
  const { generator, profiles, registry, config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const limiter = rateLimit({
    windowMs: 60_000,
    limit: config.rate_limit_per_minute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) => sendError(res, 429, `rate limit exceeded: at most ${config.rate_limit_per_minute} mutating requests per minute`),
  });
  const auth = bearerAuth(config.api_token, config.allow_insecure);
  const json = express.json({ limit: config.body_limit_bytes, type: 'application/json' });
  const requireJson = (req: Request, res: Response, next: () => void): void => {
    if (hasBody(req) && !req.is('application/json')) {
      sendError(res, 415, 'the body must be application/json');
      return;
    }
    next();
  };
  const mutating = [limiter, auth, requireJson, json];

  app.get('/health', (_req, res) => {
    const body: GeneratorsHealth = { status: 'ok', running: generator.isRunning };
    res.json(body);
  });

  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  });

  app.get('/api/v1/load', (_req, res) => {
    res.json(generator.status());
  });

  app.put('/api/v1/load', ...mutating, async (req, res) => {
    if (!hasBody(req)) {
      sendError(res, 400, 'invalid load settings', ['(document): a JSON object body is required']);
      return;
    }
    const v = validateGeneratorsLoadSettings(req.body);
    if (!v.ok) {
      sendError(res, 400, 'invalid load settings', v.errors);
      return;
    }
    res.json(await generator.setLoad(v.value));
  });

  app.post('/api/v1/load/stop', ...mutating, async (_req, res) => {
    res.json(await generator.stop());
  });

  app.get('/api/v1/scenarios', (_req, res) => {
    const body: GeneratorsScenarioList = {
      scenarios: [...profiles.values()].map((p) => ({
        name: p.name,
        description: p.description ?? '',
        hosts: p.hosts,
        processes_per_host: p.processes_per_host,
        export_interval_seconds: p.export_interval_seconds,
        duration_seconds: profileDuration(p),
        phases: p.phases.map((ph) => ph.name),
      })),
    };
    res.json(body);
  });

  app.post('/api/v1/scenarios/:name/start', ...mutating, async (req, res) => {
    const name = String(req.params.name);
    const profile = profiles.get(name);
    if (!profile) {
      sendError(res, 404, `unknown scenario ${JSON.stringify(name)}`, [`known scenarios: ${[...profiles.keys()].join(', ')}`]);
      return;
    }
    const v = validateGeneratorsScenarioStart(hasBody(req) ? req.body : {});
    if (!v.ok) {
      sendError(res, 400, 'invalid scenario start options', v.errors);
      return;
    }
    res.json(await generator.startScenario(profile, v.value));
  });

  app.get('/api/v1/truth', (req, res) => {
    const processes = req.query.processes;
    if (processes !== undefined && processes !== 'true' && processes !== 'false') {
      sendError(res, 400, 'invalid query', [`processes: must be true or false (got ${JSON.stringify(processes)})`]);
      return;
    }
    res.json(generator.truth({ processes: processes === 'true' }));
  });

  app.use((req, res) => sendError(res, 404, `not found: ${req.method} ${req.path}`));

  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (err instanceof LoadRejectedError) {
      sendError(res, 400, err.message, err.details);
    } else if (e.type === 'entity.too.large') {
      sendError(res, 413, `body larger than ${config.body_limit_bytes} bytes`);
    } else if (e.type === 'entity.parse.failed') {
      sendError(res, 400, 'the body is not valid JSON', [`(document): ${e.message ?? 'parse error'}`]);
    } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      sendError(res, e.status, e.message ?? 'bad request');
    } else {
      logger.error('request failed', { error: err });
      sendError(res, 500, 'internal error');
    }
  };
  app.use(onError);
  return app;
}
