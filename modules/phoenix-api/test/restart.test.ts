import type { AgentTask } from '@phoenix/contracts';
import type { ApiService } from '../src/service';
import { agentHeaders, call, heartbeat, startApi } from './helpers/apiHarness';
import { eachBackend } from './helpers/dbHarness';

/** phoenix-api stopped and a new one started on the same database: nothing acknowledged is lost. */
eachBackend((h) => {
  let s: (ApiService & { url: string }) | undefined;
  afterEach(async () => {
    await s?.stop();
  });

  it('no task, heartbeat or KPI lost; waiting tasks are served by the new process; leases carry on', async () => {
    s = await startApi(h());
    const hosts = ['r1', 'r2', 'r3'];
    for (const host of hosts) expect((await call(`${s.url}/api/v1/agent/heartbeat`, 'POST', heartbeat({ hostname: host }), agentHeaders(host))).status).toBe(200);
    const queued: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await call(`${s.url}/api/v1/agents/${hosts[i % 3]}/tasks`, 'POST', { type: 'collect_diagnostics', config: { log_lines: i } });
      queued.push((r.body as AgentTask).id);
    }
    const claimed = await call(`${s.url}/api/v1/agent/tasks?wait=0&max=1`, 'GET', undefined, agentHeaders('r1'));
    const inFlight = (claimed.body as { tasks: AgentTask[] }).tasks[0];
    await call(`${s.url}/api/v1/agent/tasks/${inFlight.id}/status`, 'POST', { attempt: 1, status: 'running' }, agentHeaders('r1'));
    for (const host of hosts) {
      const samples = Array.from({ length: 5 }, (_, i) => ({ seq: i + 1, observed_at: new Date(Date.now() - (5 - i) * 1000).toISOString(), series: { full_fidelity: 100 + i } }));
      expect((await call(`${s.url}/api/v1/agent/metrics`, 'POST', { samples }, agentHeaders(host))).body).toEqual({ accepted: 5, duplicates: 0, last_seq: 5 });
    }
    const before = await s.db.query<{ host_id: string; heartbeats: number; last_heartbeat: Date }>('SELECT host_id, heartbeats, last_heartbeat FROM agent_status ORDER BY host_id');
    const stopping = s;
    s = undefined;
    await stopping.stop();

    s = await startApi(h());
    const after = await s.db.query<{ host_id: string; heartbeats: number; last_heartbeat: Date }>('SELECT host_id, heartbeats, last_heartbeat FROM agent_status ORDER BY host_id');
    expect(after.rows).toEqual(before.rows);
    const tasks = await call(`${s.url}/api/v1/tasks?limit=100`, 'GET');
    const all = (tasks.body as { tasks: AgentTask[] }).tasks;
    expect(all.map((t) => t.id).sort()).toEqual([...queued].sort());
    expect(all.find((t) => t.id === inFlight.id)).toMatchObject({ status: 'running', attempts: 1 });
    for (const host of hosts) {
      const agent = await call(`${s.url}/api/v1/agents/${host}`, 'GET');
      expect((agent.body as { kpis: { seq: number } }).kpis.seq).toBe(5);
      expect((await call(`${s.url}/api/v1/agent/metrics`, 'POST', { samples: [{ seq: 5, observed_at: new Date().toISOString(), series: {} }] }, agentHeaders(host))).body).toEqual({
        accepted: 0,
        duplicates: 1,
        last_seq: 5,
      });
    }
    // the agent reports its in-flight task to the new process; the other tasks are claimed there
    expect((await call(`${s.url}/api/v1/agent/tasks/${inFlight.id}/status`, 'POST', { attempt: 1, status: 'succeeded' }, agentHeaders('r1'))).body).toMatchObject({ status: 'succeeded' });
    let claimedAfter = 0;
    for (const host of hosts) claimedAfter += ((await call(`${s.url}/api/v1/agent/tasks?wait=0&max=10`, 'GET', undefined, agentHeaders(host))).body as { tasks: AgentTask[] }).tasks.length;
    expect(claimedAfter).toBe(5);
  });

  it('a long poll open while phoenix-api stops is answered (empty), not cut off', async () => {
    s = await startApi(h());
    await call(`${s.url}/api/v1/agent/heartbeat`, 'POST', heartbeat(), agentHeaders('w1'));
    const polling = call(`${s.url}/api/v1/agent/tasks?wait=30`, 'GET', undefined, agentHeaders('w1'));
    await new Promise((r) => setTimeout(r, 300));
    const stopping = s;
    s = undefined;
    await stopping.stop();
    expect(await polling).toMatchObject({ status: 200, body: { tasks: [] } });
  });
});
