import type { AgentHeartbeat, AgentHeartbeatResponse, AgentLogsBatch, AgentMetricsBatch, AgentTaskStatus } from '@phoenix/contracts';
import type { AgentLocals } from '../auth/agentAuth';
import { toAgentTask } from '../repo/taskRepo';
import type { Handler, Input } from './context';

const hostOf = (input: Input): string => (input.res.locals as AgentLocals).hostId;

/** The agent protocol: heartbeat, long poll, status reports, KPIs, logs. */
export const agentHandlers: Record<string, Handler> = {
  async agentHeartbeat(ctx, input) {
    const hostId = hostOf(input);
    const r = await ctx.heartbeats.submit(hostId, input.body as AgentHeartbeat);
    const body: AgentHeartbeatResponse = {
      host_id: hostId,
      registered: r.registered,
      heartbeat_interval_seconds: ctx.ingestConfig.heartbeatIntervalSeconds,
      poll_timeout_seconds: ctx.queueConfig.defaultWaitSeconds,
      metrics_interval_seconds: ctx.ingestConfig.metricsIntervalSeconds,
      server_time: new Date(ctx.clock.now()).toISOString(),
      drained: r.drained,
    };
    if (r.registered) ctx.log.info('agent registered', { host_id: hostId, hostname: (input.body as AgentHeartbeat).hostname });
    return { status: 200, body };
  },

  async agentPollTasks(ctx, input) {
    const waitSeconds = Math.min((input.query.wait as number | undefined) ?? ctx.queueConfig.defaultWaitSeconds, ctx.queueConfig.maxWaitSeconds);
    const max = (input.query.max as number | undefined) ?? 5;
    const ac = new AbortController();
    const onClose = (): void => ac.abort();
    input.res.once('close', onClose);
    try {
      const tasks = await ctx.queue.poll(hostOf(input), max, waitSeconds * 1000, ac.signal);
      return { status: 200, body: { tasks: tasks.map(toAgentTask) } };
    } finally {
      input.res.off('close', onClose);
    }
  },

  async agentTaskStatus(ctx, input) {
    const row = await ctx.queue.report(hostOf(input), input.path.id, input.body as AgentTaskStatus);
    return { status: 200, body: toAgentTask(row) };
  },

  async agentMetrics(ctx, input) {
    return { status: 200, body: await ctx.telemetry.metrics(hostOf(input), input.body as AgentMetricsBatch) };
  },

  async agentLogs(ctx, input) {
    return { status: 200, body: await ctx.telemetry.logs(hostOf(input), input.body as AgentLogsBatch) };
  },
};
