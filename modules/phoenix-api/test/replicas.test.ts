import type { AgentTask, ApiHealth } from '@phoenix/contracts';
import type { ApiService } from '../src/service';
import { agentHeaders, call, heartbeat, startApi } from './helpers/apiHarness';
import { eachBackend } from './helpers/dbHarness';

async function leaderOf(s: { url: string }): Promise<boolean> {
  return ((await call(`${s.url}/health`, 'GET')).body as ApiHealth).leader === true;
}

/** Several phoenix-api replicas on one PostgreSQL: one leader, wake-ups and key revocations reach every replica. */
eachBackend(
  (h) => {
    let a: ApiService & { url: string };
    let b: ApiService & { url: string };
    beforeAll(async () => {
      a = await startApi(h());
      b = await startApi(h());
    });
    afterAll(async () => {
      await a?.stop();
      await b?.stop();
    });

    it('a task queued through one replica wakes the long poll waiting on the other', async () => {
      await call(`${b.url}/api/v1/agent/heartbeat`, 'POST', heartbeat(), agentHeaders('rep-1'));
      const polling = call(`${b.url}/api/v1/agent/tasks?wait=30`, 'GET', undefined, agentHeaders('rep-1'));
      await new Promise((r) => setTimeout(r, 300));
      const created = await call(`${a.url}/api/v1/agents/rep-1/tasks`, 'POST', { type: 'restart_core', config: {} });
      const got = await polling;
      expect((got.body as { tasks: AgentTask[] }).tasks.map((t) => t.id)).toEqual([(created.body as AgentTask).id]);
    });

    it('a key revoked on one replica is refused by the other (NOTIFY drops its cache)', async () => {
      const issued = (await call(`${a.url}/api/v1/keys`, 'POST', { host_id: 'rep-2' })).body as { id: string; key: string };
      expect((await call(`${b.url}/api/v1/agent/heartbeat`, 'POST', heartbeat(), agentHeaders('rep-2', issued.key))).status).toBe(200);
      await call(`${a.url}/api/v1/keys/${issued.id}`, 'DELETE');
      let status = 0;
      for (let i = 0; i < 25 && status !== 401; i++) {
        status = (await call(`${b.url}/api/v1/agent/heartbeat`, 'POST', heartbeat(), agentHeaders('rep-2', issued.key))).status;
        if (status !== 401) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(401);
    });

    it('exactly one leader; when it stops, the other takes over', async () => {
      const flags = [await leaderOf(a), await leaderOf(b)];
      expect(flags.filter(Boolean)).toHaveLength(1);
      const [leader, follower] = flags[0] ? [a, b] : [b, a];
      await leader.stop();
      let took = false;
      for (let i = 0; i < 50 && !took; i++) {
        await new Promise((r) => setTimeout(r, 100));
        took = await leaderOf(follower);
      }
      expect(took).toBe(true);
    });
  },
  ['postgresql'],
);
