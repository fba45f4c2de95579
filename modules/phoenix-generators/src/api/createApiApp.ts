import {
  validateGeneratorsLoadSettings,
  validateGeneratorsScenarioStart,
  type GeneratorsError,
  type GeneratorsHealth,
  type GeneratorsScenarioList,
  type LoadProfile,
} from '@phoenix/contracts';
import { installApiGuards, installApiTail, type Logger } from '@phoenix/runtime';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { Registry } from 'prom-client';
import { LoadRejectedError } from '../generator/loadRejectedError';
import type { Generator } from '../generator/generator';
import { profileDuration } from '../profiles/scenarioSchedule';
import type { GeneratorsApiConfig } from './generatorsApiConfig';

/** What the API serves. */
export interface ApiDeps {
  generator: Generator;
  profiles: ReadonlyMap<string, LoadProfile>;
  registry: Registry;
  config: GeneratorsApiConfig;
  log: Logger;
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
 * GET /metrics, GET /health. Mutating routes go through the runtime's guards (rate limit, bearer token or
 * loopback only, JSON bodies with a size limit) and are validated against the contract schemas (400 with
 * one line per schema error); the runtime's tail serves /metrics, the JSON 404 and the error mapping.
 */
export function createApiApp(deps: ApiDeps): express.Express {
  const { generator, profiles, registry, config, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const guards = installApiGuards(app, {
    metricName: 'phoenix_generators_api_requests_total',
    metricHelp: 'Load-control API requests by route, method and status code.',
    realm: 'phoenix-generators',
    api: config,
    registry,
    sendError,
  });
  // the bodies of POST /api/v1/load/stop and POST /api/v1/scenarios/{name}/start are optional
  const jsonWhenBody: RequestHandler = (req, res, next) => (hasBody(req) ? guards.requireJson(req, res, next) : next());
  const mutating = [guards.limiter, guards.authorize, jsonWhenBody, guards.json];

  app.get('/health', (_req, res) => {
    const body: GeneratorsHealth = { status: 'ok', running: generator.isRunning };
    res.json(body);
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
    res.json(await generator.stopLoad());
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

  // a refused load keeps its details; everything else is mapped by the runtime's tail
  const loadRejected: ErrorRequestHandler = (err: unknown, _req, res, next) => {
    if (err instanceof LoadRejectedError) sendError(res, 400, err.message, err.details);
    else next(err);
  };
  app.use(loadRejected);
  installApiTail(app, { registry, log, bodyLimitBytes: config.bodyLimitBytes, sendError });
  return app;
}
