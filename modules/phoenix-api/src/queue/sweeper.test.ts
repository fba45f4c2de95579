import { silentLogger } from '@phoenix/runtime';
import { eachBackend } from '../../test/helpers/dbHarness';
import { addHost, openMigrated, queueFixture, truncateAll, type QueueFixture } from '../../test/helpers/migrated';
import type { Database } from '../db/database';
import { taskRepo } from '../repo/taskRepo';
import { Sweeper } from './sweeper';

eachBackend((h) => {
  let db: Database;
  let f: QueueFixture;
  let sweeper: Sweeper;
  let availableSince: number;
  beforeAll(async () => {
    db = await openMigrated(h());
  });
  beforeEach(async () => {
    await truncateAll(db);
    f = await queueFixture(db, { leaseSeconds: 30 });
    availableSince = f.clock.now();
    sweeper = new Sweeper({
      db,
      config: f.config,
      staleAfterSeconds: 30,
      lostAfterSeconds: 120,
      clock: f.clock,
      log: silentLogger(),
      metrics: f.metrics,
      isLeader: () => true,
      availableSince: () => availableSince,
    });
    await addHost(db, 'host-a', new Date(f.clock.now()));
  });
  afterEach(() => {
    sweeper.stop();
    f.queue.stop();
  });

  it('lease expiry: the task of a dead agent goes back to pending, the next claim does it, done exactly once', async () => {
    const id = (await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, source: 'operator' })).task.id;
    await f.queue.claim('host-a', 1);
    await f.queue.report('host-a', id, { attempt: 1, status: 'running' });
    f.clock.advance(29_999);
    expect(await sweeper.sweepOnce()).toEqual({ requeued: 0, failed: 0, deadline: 0, lostHosts: [] });
    const waiting = f.queue.poll('host-a', 1, 60_000);
    await new Promise((r) => setTimeout(r, 50));
    f.clock.advance(2);
    expect(await sweeper.sweepOnce()).toEqual({ requeued: 1, failed: 0, deadline: 0, lostHosts: [] });
    const [again] = await waiting;
    expect(again).toMatchObject({ id, status: 'claimed', attempts: 2, error: 'lease expired (attempt 1)' });
    // the first agent comes back late: its attempt is over
    await expect(f.queue.report('host-a', id, { attempt: 1, status: 'succeeded' })).rejects.toThrow(`report for attempt 1, but task ${id} is at attempt 2`);
    const done = await f.queue.report('host-a', id, { attempt: 2, status: 'succeeded', result: { from: 'journal' } });
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2, result: { from: 'journal' } });
    f.clock.advance(60_000);
    expect(await sweeper.sweepOnce()).toEqual({ requeued: 0, failed: 0, deadline: 0, lostHosts: [] });
    const { rows } = await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM agent_tasks GROUP BY status');
    expect(rows).toEqual([{ status: 'succeeded', n: 1 }]);
  });

  it('the last lease running out fails the task with the number of attempts', async () => {
    const id = (await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, maxAttempts: 2, source: 'operator' })).task.id;
    for (let i = 0; i < 2; i++) {
      await f.queue.claim('host-a', 1);
      f.clock.advance(30_001);
      await sweeper.sweepOnce();
    }
    expect(await taskRepo.get(db, id)).toMatchObject({ status: 'failed', attempts: 2, error: 'lease expired after 2 attempts' });
  });

  it('past its deadline an open task fails; the tasks of a host lost for the lost threshold fail with the reason', async () => {
    const late = (await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, deadlineSeconds: 10, source: 'operator' })).task.id;
    await addHost(db, 'host-gone', new Date(f.clock.now()));
    const lostTask = (await f.queue.enqueue({ hostId: 'host-gone', type: 'collect_diagnostics', config: {}, source: 'operator' })).task.id;
    f.clock.advance(10_000);
    expect(await sweeper.sweepOnce()).toEqual({ requeued: 0, failed: 0, deadline: 1, lostHosts: [] });
    expect(await taskRepo.get(db, late)).toMatchObject({ status: 'failed', error: 'deadline passed' });
    f.clock.advance(110_000);
    await addHost(db, 'host-a', new Date(f.clock.now()));
    expect((await sweeper.sweepOnce()).lostHosts).toEqual(['host-gone']);
    expect(await taskRepo.get(db, lostTask)).toMatchObject({ status: 'failed', error: 'host host-gone lost: no heartbeat since 2026-01-01T00:00:00.000Z' });
  });

  it('after an outage (availableSince) leases and lost hosts get a full period before anything fails', async () => {
    const id = (await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, source: 'operator' })).task.id;
    await f.queue.claim('host-a', 1);
    f.clock.advance(200_000);
    availableSince = f.clock.now();
    expect(await sweeper.sweepOnce()).toEqual({ requeued: 0, failed: 0, deadline: 0, lostHosts: [] });
    f.clock.advance(30_000);
    expect(await sweeper.sweepOnce()).toEqual({ requeued: 1, failed: 0, deadline: 0, lostHosts: [] });
    f.clock.advance(90_000);
    expect((await sweeper.sweepOnce()).lostHosts).toEqual(['host-a']);
    expect(await taskRepo.get(db, id)).toMatchObject({ status: 'failed' });
  });

  it('runs every sweep interval while leader, and sets the gauges', async () => {
    await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, source: 'operator' });
    sweeper.start();
    await f.clock.advanceAsync(2000);
    await new Promise((r) => setTimeout(r, 200));
    const text = await f.registry.metrics();
    expect(text).toContain('phoenix_api_queue_depth 1');
    expect(text).toContain('phoenix_api_tasks{type="restart_core",status="pending"} 1');
    expect(text).toContain('phoenix_api_agents{status="healthy"} 1');
  });
});
