import { waitFor } from '@phoenix/testkit';
import { eachBackend } from '../../test/helpers/dbHarness';
import { addHost, openMigrated, queueFixture, truncateAll, type QueueFixture } from '../../test/helpers/migrated';
import type { Database } from '../db/database';
import { taskRepo } from '../repo/taskRepo';

eachBackend((h) => {
  let db: Database;
  let f: QueueFixture;
  const fixtures: QueueFixture[] = [];
  beforeAll(async () => {
    db = await openMigrated(h());
  });
  beforeEach(async () => {
    await truncateAll(db);
    await addHost(db, 'host-a', new Date(Date.UTC(2026, 0, 1)));
    await addHost(db, 'host-b', new Date(Date.UTC(2026, 0, 1)));
    f = await queueFixture(db);
    fixtures.push(f);
  });
  afterEach(() => {
    for (const x of fixtures.splice(0)) x.queue.stop();
    jest.restoreAllMocks();
  });

  it('a long poll of a host with nothing queued waits without a claim query; the queued task is claimed on its wake-up', async () => {
    const claims = jest.spyOn(taskRepo, 'claim');
    const polling = f.queue.poll('host-a', 5, 30_000);
    await new Promise((r) => setImmediate(r));
    expect(claims).toHaveBeenCalledTimes(0);
    expect(f.queue.waiters.size).toBe(1);
    const t = await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, source: 'operator' });
    expect((await polling).map((x) => x.id)).toEqual([t.task.id]);
    expect(claims).toHaveBeenCalledTimes(1);
    // a poll with no wait always claims (the agent asks "anything now?")
    expect(await f.queue.poll('host-b', 5, 0)).toEqual([]);
    expect(claims).toHaveBeenCalledTimes(2);
  });

  it('a queue that starts finds the hosts with pending tasks in the database, and only those', async () => {
    const t = await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, source: 'operator' });
    const second = await queueFixture(db);
    fixtures.push(second);
    const now = second.clock.now();
    expect([second.queue.hints.mayHaveWork('host-a', now), second.queue.hints.mayHaveWork('host-b', now)]).toEqual([true, false]);
    expect((await second.queue.poll('host-a', 5, 30_000)).map((x) => x.id)).toEqual([t.task.id]);
    // it took fewer than it asked for: nothing more is claimable
    expect(second.queue.hints.mayHaveWork('host-a', now)).toBe(false);
  });

  it('an undrained host: its pending task is claimed by its next long poll', async () => {
    await addHost(db, 'host-a', new Date(f.clock.now()), true);
    const t = await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, source: 'operator' });
    await waitFor(() => f.queue.hints.mayHaveWork('host-a', f.clock.now()), { what: 'the notification of the queued task', timeoutMs: 5000 });
    expect(await f.queue.poll('host-a', 5, 0)).toEqual([]); // drained: nothing, and the queue remembers it
    expect(f.queue.hints.mayHaveWork('host-a', f.clock.now())).toBe(false);
    await addHost(db, 'host-a', new Date(f.clock.now()), false);
    await db.transaction((tx) => f.queue.hostChanged('host-a', tx));
    await waitFor(() => f.queue.hints.mayHaveWork('host-a', f.clock.now()), { what: 'the undrain notification', timeoutMs: 5000 });
    expect((await f.queue.poll('host-a', 5, 30_000)).map((x) => x.id)).toEqual([t.task.id]);
  });
});
