/**
 * phoenix-api unreachable, then back: the outbox delivers every KPI sample once, in order, also across a
 * restart of the agent during the outage; the last applied control file stays as it is meanwhile.
 */
import fs from 'node:fs';
import path from 'node:path';
import { memoryLogger, freePorts } from '@phoenix/runtime';
import { waitFor } from '@phoenix/testkit';
import { AgentService } from '../src/service';
import { agentConfig, tempDir } from './harness';
import { startTestApi, type TestApi } from './testApi';

const HOST = 'outage-host';

/** A sample's seq is taken once per sample: the agent's samples are consecutive numbers. */
function expectConsecutive(seqs: number[]): void {
  expect(seqs.length).toBeGreaterThan(0);
  expect(seqs).toEqual(seqs.map((_s, i) => seqs[0] + i));
}

describe('phoenix-api down, then up', () => {
  let api: TestApi;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = tempDir('outage');
    api = await startTestApi({ heartbeatIntervalSeconds: 0.2, pollTimeoutSeconds: 1 });
    const [port, deadCore] = await freePorts(2);
    env = {
      PHOENIX_API_URL: api.url,
      PHOENIX_AGENT_KEY: api.key,
      PHOENIX_HOST_ID: HOST,
      PHOENIX_DATA_DIR: dir,
      PHOENIX_AGENT_PORT: String(port),
      PHOENIX_CONTROL_URL: '',
      // no core here: each reading is a core_up=false sample, one per interval, all the same
      PHOENIX_CORE_URL: `http://127.0.0.1:${deadCore}`,
      PHOENIX_CORE_HEALTH_URL: `http://127.0.0.1:${deadCore}/health`,
      PHOENIX_AGENT_METRICS_INTERVAL_SECONDS: '0.1',
      PHOENIX_AGENT_BACKOFF_MAX_SECONDS: '1',
    };
  });
  afterAll(async () => {
    await api?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every sample reaches the API once and in order; the control file is left as it was', async () => {
    const agent = new AgentService(agentConfig(env), { log: memoryLogger() });
    await agent.start();
    try {
      const id = await api.enqueue(HOST, 'set_control', { target_series: 77, max_mode: 'aggressive' });
      await waitFor(async () => (await api.task(id))?.status === 'succeeded');
      const controlFile = fs.readFileSync(path.join(dir, 'optimization_mode.yaml'), 'utf8');
      await waitFor(async () => (await api.samples(HOST)).length >= 3);
      await api.down();
      await waitFor(() => agent.outbox.metrics.size >= 10, { what: 'samples to pile up in the outbox' });
      expect(agent.health().body).toMatchObject({ status: 'degraded', api: { reachable: false } });
      await api.up();
      await waitFor(() => agent.outbox.metrics.size === 0, { what: 'the outbox to drain', timeoutMs: 20_000 });
      const lastQueued = agent.outbox.metrics.lastSeq;
      const stored = (await api.samples(HOST)).map((s) => s.seq).filter((s) => s <= lastQueued);
      expectConsecutive(stored);
      expect(stored[stored.length - 1]).toBe(lastQueued);
      expect(fs.readFileSync(path.join(dir, 'optimization_mode.yaml'), 'utf8')).toBe(controlFile);
    } finally {
      await agent.stop();
    }
  });

  test('an agent stopped during the outage delivers what it had when it comes back, then goes on numbering above it', async () => {
    const first = new AgentService(agentConfig(env), { log: memoryLogger() });
    await first.start();
    const before = (await api.samples(HOST)).length;
    await api.down();
    await waitFor(() => first.outbox.metrics.size >= 5, { what: 'samples queued during the outage' });
    await first.stop();
    const pending = fs.readFileSync(path.join(dir, 'agent', 'outbox-metrics.jsonl'), 'utf8');
    expect(pending.length).toBeGreaterThan(0);
    await api.up();
    const second = new AgentService(agentConfig(env), { log: memoryLogger() });
    await second.start();
    try {
      await waitFor(async () => (await api.samples(HOST)).length >= before + 8, { timeoutMs: 20_000 });
      await waitFor(() => second.outbox.metrics.size === 0);
      const seqs = (await api.samples(HOST)).map((s) => s.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      // the restart jumps to max(saved + 1, now_ms * 1000): consecutive within each run, increasing across runs
      const runs: number[][] = [[]];
      for (let i = 0; i < seqs.length; i++) {
        if (i > 0 && seqs[i] !== seqs[i - 1] + 1) runs.push([]);
        runs[runs.length - 1].push(seqs[i]);
      }
      expect(runs.length).toBe(3);
      for (const r of runs) expectConsecutive(r);
    } finally {
      await second.stop();
    }
  });
});
