import type { AgentTask, ApiFleet } from '@phoenix/contracts';
import type { ApiService } from '../src/service';
import { agentHeaders, call, checkResponse, heartbeat, startApi } from './helpers/apiHarness';
import { eachBackend } from './helpers/dbHarness';

const quietLevels = { full: 1000, cons: 800, bal: 600, agg: 500, topk: 300 };
const spikeLevels = { full: 10_000, cons: 8000, bal: 5000, agg: 3000, topk: 1000 };

function sample(seq: number, agoSeconds: number, l: typeof quietLevels): Record<string, unknown> {
  return {
    seq,
    observed_at: new Date(Date.now() - agoSeconds * 1000).toISOString(),
    series: { full_fidelity: l.full, optimized: l.bal, experimental_topk: l.topk },
    optimized_series_by_profile: { conservative: l.cons, balanced: l.bal, aggressive: l.agg },
    active_series: l.full,
    mode: 'conservative',
  };
}

/** The fleet controller through the real service, fed with KPI batches as agents send them. */
eachBackend((h) => {
  let s: ApiService & { url: string };
  beforeAll(async () => {
    s = await startApi(h());
    for (const host of ['quiet-a', 'quiet-b', 'spike-c', 'drained-d']) await call(`${s.url}/api/v1/agent/heartbeat`, 'POST', heartbeat(), agentHeaders(host));
    for (const host of ['quiet-a', 'quiet-b', 'drained-d']) {
      await call(`${s.url}/api/v1/agent/metrics`, 'POST', { samples: [1, 2, 3, 4].map((i) => sample(i, 50 - i * 10, host === 'drained-d' ? spikeLevels : quietLevels)) }, agentHeaders(host));
    }
    // three quiet readings, then a cardinality spike
    await call(`${s.url}/api/v1/agent/metrics`, 'POST', { samples: [...[1, 2, 3].map((i) => sample(i, 50 - i * 10, quietLevels)), sample(4, 5, spikeLevels)] }, agentHeaders('spike-c'));
    await call(`${s.url}/api/v1/agents/drained-d/drain`, 'PUT', { drained: true });
    expect((await call(`${s.url}/api/v1/fleet/budget`, 'PUT', { target_series: 8000 })).status).toBe(200);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('the spike host gets the reduction, quiet hosts stay at full fidelity, the drained host is left out; set_control tasks carry it', async () => {
    const run = await s.fleet.runOnce();
    expect(run.sent).toEqual(['quiet-a', 'quiet-b', 'spike-c']);
    expect(run.state).toMatchObject({ feasible: true, planned_active_series: 7000, hosts_considered: 3, budget: 8000 });
    const fleet = await call(`${s.url}/api/v1/fleet`, 'GET');
    expect(checkResponse('GET', '/api/v1/fleet', fleet)).toEqual([]);
    const hosts = (fleet.body as ApiFleet).hosts;
    expect(hosts.map((x) => [x.host_id, x.allocation?.target_series ?? null, x.allocation?.max_mode ?? null, x.drained])).toEqual([
      ['drained-d', null, null, true],
      ['quiet-a', 1101, 'conservative', false],
      ['quiet-b', 1101, 'conservative', false],
      ['spike-c', 5798, 'balanced', false],
    ]);
    expect((fleet.body as ApiFleet).allocation).toMatchObject({ feasible: true, planned_active_series: 7000, hosts_considered: 3 });
    const poll = await call(`${s.url}/api/v1/agent/tasks?wait=0`, 'GET', undefined, agentHeaders('spike-c'));
    const [task] = (poll.body as { tasks: AgentTask[] }).tasks;
    expect(task).toMatchObject({ type: 'set_control', source: 'fleet_controller', priority: 10, config: { target_series: 5798, max_mode: 'balanced', source: 'fleet' } });
    expect((task.config as { reason: string }).reason).toBe('level 3 of 5 (optimized:balanced, spike): 5000 series + 798 headroom');
    const metrics = (await call(`${s.url}/metrics`, 'GET')).body as string;
    expect(metrics).toContain('phoenix_fleet_host_target_series{host_id="spike-c"} 5798');
    expect(metrics).toContain('phoenix_fleet_allocation_feasible 1');
    expect(metrics).toContain('phoenix_fleet_planned_series 7000');
    expect(metrics).toContain('phoenix_fleet_hosts_with_spike 1');
  });

  it('an unchanged allocation sends nothing; a changed budget re-sends and supersedes the still-pending older task', async () => {
    expect((await s.fleet.runOnce()).sent).toEqual([]);
    // a budget that fits every host at full fidelity: every target changes
    await call(`${s.url}/api/v1/fleet/budget`, 'PUT', { target_series: 20_000 });
    const run = await s.fleet.runOnce();
    expect(run.sent).toEqual(['quiet-a', 'quiet-b', 'spike-c']);
    const tasks = ((await call(`${s.url}/api/v1/tasks?host_id=quiet-a`, 'GET')).body as { tasks: AgentTask[] }).tasks;
    expect(tasks.map((t) => [t.status, (t.config as { target_series: number }).target_series])).toEqual([
      ['pending', 1667],
      ['cancelled', 1101],
    ]);
    expect(tasks[1].error).toBe(`superseded by ${tasks[0].id}`);
  });

  it('a pinned host keeps its target; an infeasible budget is reported and every host gets its last level', async () => {
    await call(`${s.url}/api/v1/agents/quiet-b/pin`, 'PUT', { target_series: 2000, mode: 'balanced' });
    await call(`${s.url}/api/v1/fleet/budget`, 'PUT', { target_series: 2500 });
    const run = await s.fleet.runOnce();
    expect(run.state.feasible).toBe(false);
    expect(run.allocation?.hosts.map((x) => [x.hostId, x.target_series, x.max_mode])).toEqual([
      ['quiet-a', 300, 'aggressive'],
      ['quiet-b', 2000, 'balanced'],
      ['spike-c', 1000, 'aggressive'],
    ]);
    expect((await call(`${s.url}/metrics`, 'GET')).body).toContain('phoenix_fleet_allocation_feasible 0');
    expect(((await call(`${s.url}/api/v1/fleet`, 'GET')).body as ApiFleet).allocation.reason).toBe(
      'infeasible: every host at its most lossy level plans 1300 series, over the 500 left of the budget 2500 after 2000 pinned',
    );
  });
});
