/**
 * Exactly once: an agent process killed (SIGKILL) after doing a task and before reporting it reports it
 * from its journal after the restart (the API handed the task out again when its lease ran out), without
 * doing it again.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { waitFor } from '@phoenix/testkit';
import { freePorts } from '@phoenix/runtime';
import { FakeApi } from './fakeApi';
import { spawnAgent, tempDir, type AgentProcess } from './harness';

const HOST = 'once-host';

describe('the journal across a SIGKILL', () => {
  let api: FakeApi;
  let dir: string;
  let agent: AgentProcess | undefined;
  afterAll(async () => {
    agent?.kill('SIGKILL');
    await agent?.exited;
    await api?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('done once, reported from the journal under the new attempt', async () => {
    dir = tempDir('once');
    // the fake: it can refuse status reports on purpose (the real API cannot, so this one is fake-only)
    api = new FakeApi({ heartbeatIntervalSeconds: 0.2, pollTimeoutSeconds: 1 });
    await api.start();
    const [port, deadCore] = await freePorts(2);
    const env = {
      PHOENIX_API_URL: api.url,
      PHOENIX_AGENT_KEY: api.key,
      PHOENIX_HOST_ID: HOST,
      PHOENIX_DATA_DIR: dir,
      PHOENIX_AGENT_PORT: String(port),
      PHOENIX_CONTROL_URL: '',
      PHOENIX_CORE_URL: `http://127.0.0.1:${deadCore}`,
      PHOENIX_CORE_HEALTH_URL: `http://127.0.0.1:${deadCore}/health`,
      PHOENIX_AGENT_BACKOFF_MAX_SECONDS: '1',
    };
    agent = spawnAgent(env);
    await waitFor(async () => (await api.heartbeats(HOST)).length > 0, { what: 'the agent to register', timeoutMs: 20_000 }).catch((e: Error) => {
      throw new Error(`${e.message}\n${agent?.output() ?? ''}`);
    });

    api.unavailable.add('status');
    const id = await api.enqueue(HOST, 'set_control', { target_series: 42, max_mode: 'balanced' });
    const journal = path.join(dir, 'agent', 'journal.jsonl');
    await waitFor(() => fs.existsSync(journal) && fs.readFileSync(journal, 'utf8').includes(id), { what: 'the task in the journal', timeoutMs: 20_000 });
    await waitFor(() => fs.readFileSync(path.join(dir, 'agent', 'outbox-reports.jsonl'), 'utf8').includes(id), { what: 'the report in the outbox' });
    agent.kill('SIGKILL');
    expect(await agent.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const controlFile = path.join(dir, 'optimization_mode.yaml');
    const written = YAML.parse(fs.readFileSync(controlFile, 'utf8')) as { generation: number; target_series: number; updated_at: string };
    expect([written.generation, written.target_series]).toEqual([1, 42]);
    expect((await api.task(id))?.status).toBe('claimed');

    // the killed agent's long poll must be seen closed first, or the fake would hand the task to it again
    await waitFor(() => api.openPolls(HOST) === 0, { what: 'the killed agent\'s long poll to close' });
    // the lease runs out; the API is healthy again
    await api.expireLease(id);
    api.unavailable.delete('status');
    agent = spawnAgent(env);
    const done = await waitFor(async () => {
      const t = await api.task(id);
      return t?.status === 'succeeded' && t;
    }, { what: 'the task to succeed', timeoutMs: 20_000 }).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${JSON.stringify(await api.task(id))}\n${JSON.stringify(api.reports)}\n${agent?.output() ?? ''}`);
    });

    expect(done.attempts).toBe(2);
    const journaled = JSON.parse(fs.readFileSync(journal, 'utf8').trim().split('\n').find((l) => l.includes(id)) ?? '{}') as { attempt: number; outcome: { result: unknown } };
    expect(journaled.attempt).toBe(1);
    expect(done.result).toEqual(journaled.outcome.result);
    expect(done.result).toMatchObject({ via: 'control_file', generation: 1, target_series: 42, written: true });
    expect(api.reports.filter((r) => r.taskId === id).map((r) => [r.body.attempt, r.body.status, r.status])).toEqual([
      [1, 'succeeded', 409],
      [2, 'succeeded', 200],
    ]);
    // not done again: the control file is the one the first run wrote
    expect(YAML.parse(fs.readFileSync(controlFile, 'utf8'))).toEqual(written);
    await waitFor(() => agent?.output().includes('task already done (journal): reporting it again, not running it again'), { what: 'the journal log line' });
  });
});
