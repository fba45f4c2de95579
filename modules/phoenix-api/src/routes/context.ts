import type { Request, Response } from 'express';
import type { Registry } from 'prom-client';
import type { Clock, Logger } from '@phoenix/runtime';
import type { KeyStore } from '../auth/keyStore';
import type { Database } from '../db/database';
import type { FleetConfig } from '../fleet/config';
import type { FleetController } from '../fleet/fleetController';
import type { IngestConfig } from '../ingest/config';
import type { HeartbeatBatcher } from '../ingest/heartbeatBatcher';
import type { TelemetryIngest } from '../ingest/telemetryIngest';
import type { QueueConfig } from '../queue/config';
import type { TaskQueue } from '../queue/taskQueue';
import type { ApiMetrics } from '../telemetry/metrics';
import type { Params } from './openapi';

/** Everything a route handler may use. */
export interface ApiContext {
  db: Database;
  queue: TaskQueue;
  keys: KeyStore;
  heartbeats: HeartbeatBatcher;
  telemetry: TelemetryIngest;
  fleet: FleetController;
  ingestConfig: IngestConfig;
  queueConfig: QueueConfig;
  fleetConfig: FleetConfig;
  clock: Clock;
  log: Logger;
  metrics: ApiMetrics;
  registry: Registry;
  isLeader: () => boolean;
  /** PHOENIX_API_TOKEN (who made an operator call) */
  token: string | undefined;
  startedAt: number;
  version: string;
  /** Retry-After of a 503 while the database is unreachable */
  retryAfterSeconds: number;
}

/** What a handler answers: status, JSON body (none for 204), extra headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The validated request: path and query parameters, the body (already checked against its schema). */
export interface Input extends Params {
  body: unknown;
  req: Request;
  res: Response;
}

export type Handler = (ctx: ApiContext, input: Input) => Promise<Reply>;
