import { memoryLogger } from '@phoenix/runtime';
import { ApiService } from '../src/service';
import { call, heartbeat, agentHeaders, startApi, testConfig } from './helpers/apiHarness';
import { eachBackend } from './helpers/dbHarness';

eachBackend((h) => {
  it('start → stop: listening, then the port is closed and the database released', async () => {
    const s = new ApiService(testConfig(h()), { log: memoryLogger(), processMetrics: false });
    await s.start();
    const url = `http://127.0.0.1:${s.port}`;
    expect((await call(`${url}/health`, 'GET')).status).toBe(200);
    await s.stop();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    // the database is free again: a new service opens it
    const again = await startApi(h());
    await again.stop();
  });

  it('stop without start releases nothing and resolves; stop twice is one stop; start after stop rejects; start twice is one start', async () => {
    const never = new ApiService(testConfig(h()), { processMetrics: false, log: memoryLogger() });
    await never.stop();
    await never.stop();
    await expect(never.start()).rejects.toThrow('phoenix-api is stopped; it cannot be started again');
    const s = new ApiService(testConfig(h()), { processMetrics: false, log: memoryLogger() });
    const [a, b] = [s.start(), s.start()];
    await Promise.all([a, b]);
    expect(a).toBe(b);
    await Promise.all([s.stop(), s.stop()]);
    await expect(s.start()).rejects.toThrow('phoenix-api is stopped; it cannot be started again');
  });

  it('a failed start (port taken) releases what it opened', async () => {
    const first = await startApi(h());
    const s = new ApiService(testConfig(h(), { PHOENIX_API_PORT: String(first.port) }), { processMetrics: false, log: memoryLogger() });
    await first.stop();
    const blocker = await import('node:net').then((net) => net.createServer().listen(first.port, '127.0.0.1'));
    await new Promise((r) => blocker.once('listening', r));
    await expect(s.start()).rejects.toThrow(/EADDRINUSE/);
    await s.stop();
    blocker.close();
    const again = await startApi(h());
    await again.stop();
  });

  it('the fleet controller runs on its own every PHOENIX_FLEET_INTERVAL_SECONDS when enabled', async () => {
    const s = await startApi(h(), { PHOENIX_FLEET_CONTROLLER_ENABLED: 'true', PHOENIX_FLEET_INTERVAL_SECONDS: '200ms' });
    try {
      await call(`${s.url}/api/v1/agent/heartbeat`, 'POST', heartbeat(), agentHeaders('auto'));
      await call(`${s.url}/api/v1/agent/metrics`, 'POST', { samples: [{ seq: 1, observed_at: new Date().toISOString(), series: { full_fidelity: 10 } }] }, agentHeaders('auto'));
      let state: unknown;
      for (let i = 0; i < 100 && !state; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const fleet = (await call(`${s.url}/api/v1/fleet`, 'GET')).body as { allocation: { hosts_considered: number } };
        if (fleet.allocation.hosts_considered === 1) state = fleet.allocation;
      }
      expect(state).toMatchObject({ feasible: true, planned_active_series: 10, hosts_considered: 1 });
    } finally {
      await s.stop();
    }
  });
});
