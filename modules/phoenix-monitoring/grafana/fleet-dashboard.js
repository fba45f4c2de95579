'use strict';
/**
 * The fleet dashboard (see generate-dashboards.js): phoenix-api's view (agents by status, the budget and its
 * allocation, the task queue, the database) and what every agent pushes to the Pushgateway (its host's KPIs,
 * its link to the API, its outbox). A gauge or counter that appears with its first event is written
 * `... or vector(0)`, so "none yet" reads 0.
 */
/**
 * @param {import('./generate-dashboards').Builders} builders
 * @returns {import('./generate-dashboards').Dashboard}
 */
module.exports = ({ dashboard, timeseries, stat, row, q, JOB }) => {
  const api = JOB.api;
  const agents = JOB.agents;
  return dashboard({
    uid: 'phoenix-fleet',
    title: 'Phoenix / Fleet',
    description: 'phoenix-api and its agents: one series budget for every host, the allocation, the task queue, the agents.',
    panels: [
      row('Fleet'),
      stat('Agents healthy', [q(`sum(phoenix_api_agents{${api},status="healthy"}) or vector(0)`)], { w: 4 }),
      stat('Agents stale or lost', [q(`sum(phoenix_api_agents{${api},status=~"stale|lost"}) or vector(0)`)], {
        w: 4,
        thresholds: [
          { color: 'green', value: null },
          { color: 'red', value: 1 },
        ],
      }),
      stat('Allocation feasible', [q(`max(phoenix_fleet_allocation_feasible{${api}})`)], {
        w: 4,
        mappings: [{ type: 'value', options: { 0: { text: 'over budget', color: 'red' }, 1: { text: 'yes', color: 'green' } } }],
      }),
      stat('Hosts with a spike', [q(`max(phoenix_fleet_hosts_with_spike{${api}})`)], { w: 4 }),
      stat('Long polls held', [q(`sum(phoenix_api_long_poll_waiters{${api}})`)], { w: 4 }),
      stat('Database up', [q(`min(phoenix_api_db_up{${api}})`)], {
        w: 4,
        mappings: [{ type: 'value', options: { 0: { text: 'down', color: 'red' }, 1: { text: 'up', color: 'green' } } }],
      }),
      timeseries('Fleet series: budget, planned, active', [
        q(`max(phoenix_fleet_budget_series{${api}})`, 'budget'),
        q(`max(phoenix_fleet_planned_series{${api}})`, 'planned by the allocation'),
        q(`sum(phoenix_host_active_series{${agents}})`, 'active (every agent)'),
      ], { w: 12 }),
      timeseries('Per host: allocated target and active series', [
        q(`phoenix_fleet_host_target_series{${api}} or vector(0)`, 'target {{host_id}}'),
        q(`phoenix_host_active_series{${agents}}`, 'active {{instance}}'),
      ], { w: 12 }),
      row('Tasks'),
      timeseries('Tasks by status', [q(`sum by (status) (phoenix_api_tasks{${api}}) or vector(0)`, '{{status}}')], { w: 8 }),
      timeseries('Task events per second', [q(`sum by (event) (rate(phoenix_api_task_events_total{${api}}[$__rate_interval])) or vector(0)`, '{{event}}')], { w: 8 }),
      timeseries('Dispatch latency (queued → claimed)', [
        q(`histogram_quantile(0.5, sum by (le) (rate(phoenix_api_task_dispatch_seconds_bucket{${api}}[$__rate_interval])))`, 'p50'),
        q(`histogram_quantile(0.99, sum by (le) (rate(phoenix_api_task_dispatch_seconds_bucket{${api}}[$__rate_interval])))`, 'p99'),
      ], { w: 8, unit: 's' }),
      timeseries('Heartbeats per second', [q(`sum by (result) (rate(phoenix_api_heartbeats_total{${api}}[$__rate_interval])) or vector(0)`, '{{result}}')], { w: 8 }),
      timeseries('Queue depth and long polls', [q(`sum(phoenix_api_queue_depth{${api}})`, 'pending tasks'), q(`sum(phoenix_api_long_poll_waiters{${api}})`, 'long polls held')], { w: 8 }),
      timeseries('Database failures answered 503', [q(`sum by (kind) (rate(phoenix_api_db_errors_total{${api}}[$__rate_interval])) or vector(0)`, '{{kind}}')], { w: 8 }),
      row('Agents (Pushgateway)'),
      timeseries('API reachable', [q(`phoenix_agent_api_reachable{${agents}}`, '{{instance}}')], { w: 8, step: true, min: 0, max: 1 }),
      timeseries('Core up', [q(`phoenix_host_core_up{${agents}}`, '{{instance}}')], { w: 8, step: true, min: 0, max: 1 }),
      timeseries('Outbox backlog', [q(`sum by (instance) (phoenix_agent_outbox_entries{${agents}})`, '{{instance}}')], { w: 8 }),
    ],
  });
};
