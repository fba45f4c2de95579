import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryLogger, systemClock } from '@phoenix/runtime';
import { waitFor } from '@phoenix/testkit';
import { FakeApi, FAKE_ENROLLMENT_KEY } from '../../test/fakeApi';
import { ApiClient } from '../api/client';
import { defaultApiClientConfig } from '../api/config';
import { StateDir } from '../state/stateDir';
import { MetricsRegistry } from '../telemetry/metrics';
import { defaultOutboxConfig } from './config';
import { OutboxDelivery } from './delivery';
import { Outbox } from './outbox';

const sample = (seq: number) => ({ seq, observed_at: new Date(Date.UTC(2026, 0, 1) + seq).toISOString(), series: { full_fidelity: seq } });

describe('OutboxDelivery against a contract-checked phoenix-api', () => {
  let dir: string;
  let api: FakeApi;
  let outbox: Outbox;
  let delivery: OutboxDelivery;
  let registry: MetricsRegistry;
  let log: ReturnType<typeof memoryLogger>;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-agent-delivery-'));
    api = new FakeApi();
    await api.start();
    registry = new MetricsRegistry();
    log = memoryLogger();
    outbox = new Outbox({ ...defaultOutboxConfig, metricsBatch: 2 }, new StateDir(dir), systemClock, log, registry);
    outbox.open();
    const client = new ApiClient({ ...defaultApiClientConfig, url: api.url, key: FAKE_ENROLLMENT_KEY, hostId: 'h1', requestTimeoutSeconds: 2 }, systemClock, registry);
    delivery = new OutboxDelivery({
      outbox,
      api: client,
      clock: systemClock,
      log,
      registry,
      cfg: { ...defaultOutboxConfig, metricsBatch: 2 },
      retry: { backoffMaxSeconds: 0.5, authRetrySeconds: 60 },
      startedAt: '2026-01-01T00:00:00.000Z',
    });
  });
  afterEach(async () => {
    await delivery.stop();
    outbox.close();
    await api.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('API down then up: every sample stored once, in order, in batches; nothing left behind', async () => {
    await api.down();
    delivery.start();
    outbox.metrics.add([1, 2, 3].map((s) => ({ seq: s, payload: sample(s) })));
    await waitFor(() => log.records.some((r) => r.msg === 'outbox: delivery failed; will retry'), { what: 'a failed delivery' });
    outbox.metrics.add([4, 5].map((s) => ({ seq: s, payload: sample(s) })));
    await api.up();
    delivery.nudge();
    await waitFor(() => outbox.metrics.size === 0, { what: 'the lane to drain' });
    expect((await api.samples('h1')).map((s) => s.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(api.metricsPosts).toEqual([
      [1, 2],
      [3, 4],
      [5],
    ]);
    expect(registry.render()).toContain('phoenix_agent_outbox_delivered_total{lane="metrics"} 5');
  });

  test('a report the API refuses for good (409) is dropped and the next goes through; order kept', async () => {
    const stale = await api.enqueue('h1', 'collect_diagnostics', {});
    const good = await api.enqueue('h1', 'collect_diagnostics', {});
    await (await fetch(`${api.url}/api/v1/agent/tasks?wait=0&max=2`, { headers: { authorization: `Bearer ${FAKE_ENROLLMENT_KEY}`, 'x-agent-host-id': 'h1' } })).json();
    outbox.addReport({ task_id: stale, type: 'collect_diagnostics', report: { attempt: 5, status: 'succeeded', result: {} } });
    outbox.addReport({ task_id: good, type: 'collect_diagnostics', report: { attempt: 1, status: 'succeeded', result: { n: 1 } } });
    delivery.start();
    await waitFor(() => outbox.reports.size === 0, { what: 'the reports lane to drain' });
    expect(api.reports.map((r) => [r.taskId, r.status])).toEqual([
      [stale, 409],
      [good, 200],
    ]);
    expect((await api.task(good))?.status).toBe('succeeded');
    expect(registry.render()).toContain('phoenix_agent_outbox_rejected_total{lane="reports"} 1');
    expect(log.records.find((r) => r.msg === 'outbox: the API refused entries for good; dropped')).toMatchObject({ level: 'info', status: 409, error: 'attempt 5 is not the current one (1)' });
  });
});
