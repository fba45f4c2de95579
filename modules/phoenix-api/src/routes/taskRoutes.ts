import type { ApiHealth, ApiKeyCreateRequest, TaskCreateRequest } from '@phoenix/contracts';
import { notFound } from '../errors';
import { toApiKey } from '../repo/keyRepo';
import { agentRepo } from '../repo/agentRepo';
import { taskRepo, toAgentTask, type TaskStatus } from '../repo/taskRepo';
import type { Handler } from './context';

/** Tasks, agent keys and /health. */
export const taskHandlers: Record<string, Handler> = {
  async createTask(ctx, input) {
    const hostId = input.path.host_id;
    const body = input.body as TaskCreateRequest;
    if (!(await agentRepo.get(ctx.db, hostId))) throw notFound(`host ${hostId}`);
    const { task, created } = await ctx.queue.enqueue({
      hostId,
      type: body.type,
      action: body.action,
      config: body.config,
      priority: body.priority,
      maxAttempts: body.max_attempts,
      deadlineSeconds: body.deadline_seconds,
      idempotencyKey: body.idempotency_key,
      source: 'operator',
    });
    if (created) ctx.log.info('task queued', { task_id: task.id, host_id: hostId, type: body.type });
    return { status: 201, body: toAgentTask(task) };
  },

  async listTasks(ctx, input) {
    const rows = await taskRepo.list(ctx.db, {
      hostId: input.query.host_id as string | undefined,
      status: input.query.status as TaskStatus | undefined,
      limit: (input.query.limit as number | undefined) ?? 100,
    });
    return { status: 200, body: { tasks: rows.map(toAgentTask) } };
  },

  async getTask(ctx, input) {
    const row = await taskRepo.get(ctx.db, input.path.id);
    if (!row) throw notFound(`task ${input.path.id}`);
    return { status: 200, body: toAgentTask(row) };
  },

  async cancelTask(ctx, input) {
    return { status: 200, body: toAgentTask(await ctx.queue.cancel(input.path.id)) };
  },

  async listKeys(ctx) {
    return { status: 200, body: { keys: (await ctx.keys.list()).map(toApiKey) } };
  },

  async createKey(ctx, input) {
    const body = input.body as ApiKeyCreateRequest;
    const { row, key } = await ctx.keys.create(body.host_id, body.description);
    ctx.log.info('agent key issued', { key_id: row.id, host_id: row.host_id });
    return { status: 201, body: { ...toApiKey(row), key } };
  },

  async revokeKey(ctx, input) {
    const row = await ctx.keys.revoke(input.path.id);
    if (!row) throw notFound(`key ${input.path.id}`);
    ctx.log.info('agent key revoked', { key_id: row.id });
    return { status: 200, body: toApiKey(row) };
  },

  async health(ctx) {
    const db = ctx.db.health();
    const database: ApiHealth['database'] = { backend: db.backend, up: db.up, since: new Date(db.since).toISOString() };
    if (db.error !== undefined) database.error = db.error;
    if (db.pool) database.pool = db.pool;
    const body: ApiHealth = {
      status: db.up ? 'ok' : 'degraded',
      database,
      leader: ctx.isLeader(),
      uptime_seconds: Math.max(0, (ctx.clock.now() - ctx.startedAt) / 1000),
      version: ctx.version,
    };
    return db.up ? { status: 200, body } : { status: 503, body, headers: { 'Retry-After': String(ctx.retryAfterSeconds) } };
  },
};
