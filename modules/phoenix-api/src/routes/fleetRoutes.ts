import type { ApiAgentList, ApiFleetBudgetRequest, ApiHostDrainRequest, ApiHostPinRequest, KpiSample, LogLine } from '@phoenix/contracts';
import { notFound } from '../errors';
import { fleetView } from '../fleet/fleetView';
import { toApiAgent } from '../ingest/agentView';
import { agentRepo, type Pin } from '../repo/agentRepo';
import { fleetRepo } from '../repo/fleetRepo';
import { kpiRepo } from '../repo/kpiRepo';
import { logRepo } from '../repo/logRepo';
import { taskRepo } from '../repo/taskRepo';
import { actorOf } from '../auth/audit';
import type { ApiContext, Handler, Reply } from './context';

/** One agent with its allocation and latest KPIs, or 404. */
async function agentReply(ctx: ApiContext, hostId: string): Promise<Reply> {
  const a = await agentRepo.get(ctx.db, hostId);
  if (!a) throw notFound(`host ${hostId}`);
  const allocation = await fleetRepo.allocationOf(ctx.db, hostId);
  const kpi = await kpiRepo.latestOf(ctx.db, hostId);
  return { status: 200, body: toApiAgent(a, ctx.clock.now(), ctx.ingestConfig, allocation, kpi?.sample) };
}

/** Operators' view and control of the fleet: agents, drain, pin, logs, the budget. */
export const fleetHandlers: Record<string, Handler> = {
  async listAgents(ctx, input) {
    const now = ctx.clock.now();
    const [agents, allocations, latest] = await Promise.all([agentRepo.list(ctx.db), fleetRepo.allocations(ctx.db), kpiRepo.latestPerHost(ctx.db, new Date(0))]);
    const allocationOf = new Map(allocations.map((r) => [r.host_id, r]));
    const kpiOf = new Map<string, KpiSample>(latest.map((k) => [k.host_id, k.sample]));
    const all = agents.map((a) => toApiAgent(a, now, ctx.ingestConfig, allocationOf.get(a.host_id), kpiOf.get(a.host_id)));
    const counts = { healthy: 0, stale: 0, lost: 0 };
    for (const a of all) counts[a.status] += 1;
    const status = input.query.status as string | undefined;
    const body: ApiAgentList = { agents: status ? all.filter((a) => a.status === status) : all, counts };
    return { status: 200, body };
  },

  getAgent: (ctx, input) => agentReply(ctx, input.path.host_id),

  async forgetAgent(ctx, input) {
    const hostId = input.path.host_id;
    const now = new Date(ctx.clock.now());
    const existed = await ctx.db.transaction(async (tx) => {
      if (!(await agentRepo.delete(tx, hostId))) return false;
      await taskRepo.failOpenOfHost(tx, hostId, now, `host ${hostId} was forgotten by an operator`);
      await fleetRepo.deleteHost(tx, hostId);
      await kpiRepo.deleteHost(tx, hostId);
      await logRepo.deleteHost(tx, hostId);
      return true;
    });
    if (!existed) throw notFound(`host ${hostId}`);
    ctx.log.info('host forgotten', { host_id: hostId });
    return { status: 204 };
  },

  async drainAgent(ctx, input) {
    const body = input.body as ApiHostDrainRequest;
    const hostId = input.path.host_id;
    const found = await ctx.db.transaction(async (tx) => {
      const ok = await agentRepo.setDrained(tx, hostId, body.drained, body.reason ?? null);
      // undrained: its pending tasks are claimable again (every replica's long polls hear it)
      if (ok && !body.drained) await ctx.queue.hostChanged(hostId, tx);
      return ok;
    });
    if (!found) throw notFound(`host ${hostId}`);
    ctx.log.info(body.drained ? 'host drained' : 'host undrained', { host_id: input.path.host_id, reason: body.reason });
    return agentReply(ctx, input.path.host_id);
  },

  async pinAgent(ctx, input) {
    const body = input.body as ApiHostPinRequest;
    const pin: Pin = { target_series: body.target_series, since: new Date(ctx.clock.now()).toISOString() };
    if (body.mode !== undefined) pin.mode = body.mode;
    if (body.reason !== undefined) pin.reason = body.reason;
    if (!(await agentRepo.setPin(ctx.db, input.path.host_id, pin))) throw notFound(`host ${input.path.host_id}`);
    return agentReply(ctx, input.path.host_id);
  },

  async unpinAgent(ctx, input) {
    if (!(await agentRepo.setPin(ctx.db, input.path.host_id, null))) throw notFound(`host ${input.path.host_id}`);
    return agentReply(ctx, input.path.host_id);
  },

  async agentLogsRead(ctx, input) {
    const hostId = input.path.host_id;
    if (!(await agentRepo.get(ctx.db, hostId))) throw notFound(`host ${hostId}`);
    const lines = await logRepo.read(ctx.db, hostId, (input.query.limit as number | undefined) ?? 100, input.query.source as LogLine['source'] | undefined);
    return { status: 200, body: { host_id: hostId, lines } };
  },

  async getFleet(ctx) {
    return { status: 200, body: await fleetView(ctx.db, ctx.clock.now(), ctx.fleetConfig, ctx.ingestConfig) };
  },

  async setFleetBudget(ctx, input) {
    const body = input.body as ApiFleetBudgetRequest;
    await fleetRepo.setBudget(ctx.db, { target_series: body.target_series, reason: body.reason, now: new Date(ctx.clock.now()), by: actorOf(input.req, ctx.token) });
    ctx.metrics.fleetBudget.set(body.target_series);
    ctx.log.info('fleet budget set', { target_series: body.target_series, reason: body.reason });
    return { status: 200, body: await fleetView(ctx.db, ctx.clock.now(), ctx.fleetConfig, ctx.ingestConfig) };
  },
};
