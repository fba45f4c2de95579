import { ManualClock, memoryLogger, freePorts } from '@phoenix/runtime';
import { startPushgateway, type PushgatewayHandle } from '@phoenix/testkit';
import { MetricsRegistry } from '../telemetry/metrics';
import { Pusher } from './pusher';

describe('Pusher against the real Pushgateway', () => {
  let pg: PushgatewayHandle;
  beforeAll(async () => {
    pg = await startPushgateway();
  });
  afterAll(() => pg.stop());

  test('PUT replaces the group job/instance: the exact series pushed, a series no longer exposed disappears', async () => {
    const registry = new MetricsRegistry();
    const g = registry.gauge('phoenix_host_series', 'Series by pipeline.', ['pipeline']);
    g.set({ pipeline: 'full_fidelity' }, 5600);
    g.set({ pipeline: 'optimized' }, 2100);
    const p = new Pusher({ url: pg.url, job: 'phoenix-agent', timeoutSeconds: 5 }, 'web-01.example.com', registry, new ManualClock(), memoryLogger());
    expect(p.url).toBe(`${pg.url}/metrics/job/phoenix-agent/instance/web-01.example.com`);
    expect(await p.push()).toBe(true);
    const lines = (await pg.groupLines('phoenix-agent', 'web-01.example.com')).filter((l) => !l.startsWith('push_'));
    expect(lines).toEqual([
      'phoenix_agent_pushes_total{instance="web-01.example.com",job="phoenix-agent",outcome="ok"} 0',
      'phoenix_host_series{instance="web-01.example.com",job="phoenix-agent",pipeline="full_fidelity"} 5600',
      'phoenix_host_series{instance="web-01.example.com",job="phoenix-agent",pipeline="optimized"} 2100',
    ]);
    g.reset();
    g.set({ pipeline: 'optimized' }, 2000);
    expect(await p.push()).toBe(true);
    expect((await pg.groupLines('phoenix-agent', 'web-01.example.com')).filter((l) => !l.startsWith('push_'))).toEqual([
      'phoenix_agent_pushes_total{instance="web-01.example.com",job="phoenix-agent",outcome="ok"} 1',
      'phoenix_host_series{instance="web-01.example.com",job="phoenix-agent",pipeline="optimized"} 2000',
    ]);
  });

  test('a Pushgateway that is not there: counted and logged, never thrown', async () => {
    const [port] = await freePorts(1);
    const registry = new MetricsRegistry();
    const log = memoryLogger();
    const p = new Pusher({ url: `http://127.0.0.1:${port}`, job: 'phoenix-agent', timeoutSeconds: 1 }, 'h', registry, new ManualClock(), log);
    expect(await p.push()).toBe(false);
    expect(registry.render()).toContain('phoenix_agent_pushes_total{outcome="failed"} 1');
    expect(log.records.filter((r) => r.msg === 'push to the Pushgateway failed')).toHaveLength(1);
    expect(await new Pusher({ url: undefined, job: 'j', timeoutSeconds: 1 }, 'h', new MetricsRegistry(), new ManualClock(), log).push()).toBe(false);
  });
});
