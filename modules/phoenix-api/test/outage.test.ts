import type { AgentTask, ApiHealth } from '@phoenix/contracts';
import type { ApiService } from '../src/service';
import { agentHeaders, heartbeat, startApi } from './helpers/apiHarness';
import { eachBackend } from './helpers/dbHarness';

/** How long PostgreSQL stays down (PHOENIX_API_OUTAGE_SECONDS; the 30 s is run with PHOENIX_API_OUTAGE_SECONDS=30). */
const OUTAGE_SECONDS = Number(process.env.PHOENIX_API_OUTAGE_SECONDS ?? '3');

interface Outcome {
  status: number;
  retryAfter: string | null;
}

/** A request that must answer (no hang): 15 s at most, then it counts as status 0. */
async function send(url: string, method: string, body: unknown, headers: Record<string, string>): Promise<Outcome & { json: unknown }> {
  try {
    const res = await fetch(url, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers }, signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), json: text ? (JSON.parse(text) as unknown) : undefined };
  } catch {
    return { status: 0, retryAfter: null, json: undefined };
  }
}

eachBackend(
  (h) => {
    let s: ApiService & { url: string };
    beforeAll(async () => {
      s = await startApi(h(), { PHOENIX_DATABASE_RETRY_AFTER_SECONDS: '2' });
    });
    afterAll(async () => {
      await s?.stop();
    });

    it(`PostgreSQL stopped for ${OUTAGE_SECONDS} s under load: 503 + Retry-After meanwhile (no hang, no 500), /health says why, then every acknowledged write is there`, async () => {
      const hosts = ['o1', 'o2', 'o3', 'o4'];
      const outcomes: Outcome[] = [];
      const ackedKpis = new Map<string, number[]>(hosts.map((x) => [x, []]));
      const ackedBeats = new Map<string, number>(hosts.map((x) => [x, 0]));
      const ackedTasks: string[] = [];
      let running = true;
      for (const host of hosts) expect((await send(`${s.url}/api/v1/agent/heartbeat`, 'POST', heartbeat(), agentHeaders(host))).status).toBe(200);
      ackedBeats.forEach((_, k) => ackedBeats.set(k, 1));
      const agentLoop = async (host: string): Promise<void> => {
        let seq = 0;
        while (running) {
          const beat = await send(`${s.url}/api/v1/agent/heartbeat`, 'POST', heartbeat(), agentHeaders(host));
          outcomes.push(beat);
          if (beat.status === 200) ackedBeats.set(host, (ackedBeats.get(host) ?? 0) + 1);
          const next = seq + 1;
          const kpi = await send(`${s.url}/api/v1/agent/metrics`, 'POST', { samples: [{ seq: next, observed_at: new Date().toISOString(), series: { full_fidelity: next } }] }, agentHeaders(host));
          outcomes.push(kpi);
          if (kpi.status === 200) {
            ackedKpis.get(host)?.push(next);
            seq = next;
          }
          const poll = await send(`${s.url}/api/v1/agent/tasks?wait=0.2&max=1`, 'GET', undefined, agentHeaders(host));
          outcomes.push(poll);
          // as an agent does: a 503 is retried after its Retry-After
          const backoff = [beat, kpi, poll].some((o) => o.status === 503) ? Number(poll.retryAfter ?? kpi.retryAfter ?? beat.retryAfter ?? 1) * 1000 : 50;
          await new Promise((r) => setTimeout(r, backoff));
        }
      };
      const operatorLoop = async (): Promise<void> => {
        let i = 0;
        while (running) {
          const r = await send(`${s.url}/api/v1/agents/${hosts[i++ % hosts.length]}/tasks`, 'POST', { type: 'collect_diagnostics', config: {} }, {});
          outcomes.push(r);
          if (r.status === 201) ackedTasks.push((r.json as AgentTask).id);
          await new Promise((r2) => setTimeout(r2, r.status === 503 ? 2000 : 600));
        }
      };
      const loops = [...hosts.map(agentLoop), operatorLoop()];
      await new Promise((r) => setTimeout(r, 1000));

      await h().postgres!.stop();
      const downAt = Date.now();
      let sawDownHealth: { status: number; body: ApiHealth; retryAfter: string | null } | undefined;
      while (Date.now() - downAt < OUTAGE_SECONDS * 1000) {
        const health = await send(`${s.url}/health`, 'GET', undefined, {});
        if (health.status === 503) sawDownHealth = { status: health.status, body: health.json as ApiHealth, retryAfter: health.retryAfter };
        await new Promise((r) => setTimeout(r, 200));
      }
      const duringOutage = outcomes.length;
      await h().postgres!.start();
      for (let i = 0; ; i++) {
        if ((await send(`${s.url}/health`, 'GET', undefined, {})).status === 200) break;
        if (i > 200) throw new Error('phoenix-api did not come back after PostgreSQL started');
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 1500));
      running = false;
      await Promise.all(loops);

      const statuses = new Map<number, number>();
      for (const o of outcomes) statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1);
      if (process.env.PHOENIX_API_OUTAGE_REPORT) console.log(JSON.stringify({ statuses: [...statuses], during: duringOutage, total: outcomes.length, tasks: ackedTasks.length, kpis: [...ackedKpis.values()].reduce((a, b) => a + b.length, 0) }));
      expect([...statuses.keys()].filter((st) => ![200, 201, 503].includes(st))).toEqual([]);
      expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
      expect(outcomes.filter((o) => o.status === 503 && o.retryAfter !== '2')).toEqual([]);
      expect(duringOutage).toBeGreaterThan(0);
      expect(sawDownHealth?.body.status).toBe('degraded');
      expect(sawDownHealth?.body.database.up).toBe(false);
      expect(sawDownHealth?.body.database.backend).toBe('postgresql');
      expect(sawDownHealth?.body.database.error).toMatch(/ECONNREFUSED|terminat|connect/i);
      expect(sawDownHealth?.retryAfter).toBe('2');

      for (const host of hosts) {
        const acked = ackedKpis.get(host) ?? [];
        const { rows } = await s.db.query<{ seq: number }>('SELECT seq FROM metrics_cache WHERE host_id = $1 AND seq = ANY($2::bigint[])', [host, acked]);
        expect({ host, stored: rows.length }).toEqual({ host, stored: acked.length });
        const beats = await s.db.query<{ heartbeats: number }>('SELECT heartbeats FROM agent_status WHERE host_id = $1', [host]);
        expect(beats.rows[0].heartbeats).toBeGreaterThanOrEqual(ackedBeats.get(host) ?? 0);
      }
      const tasks = await s.db.query<{ id: string }>('SELECT id FROM agent_tasks WHERE id = ANY($1::text[])', [ackedTasks]);
      expect(tasks.rows.length).toBe(ackedTasks.length);
      expect(ackedTasks.length).toBeGreaterThan(0);
    }, 60_000 + OUTAGE_SECONDS * 2000);
  },
  ['postgresql'],
);
