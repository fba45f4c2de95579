import { eachBackend } from '../../test/helpers/dbHarness';
import { addHost, openMigrated, queueFixture, truncateAll, type QueueFixture } from '../../test/helpers/migrated';
import type { Database } from '../db/database';
import { sampleValue, parseExposition } from '@phoenix/runtime';

eachBackend((h) => {
  let db: Database;
  let f: QueueFixture;
  beforeAll(async () => {
    db = await openMigrated(h());
  });
  beforeEach(async () => {
    await truncateAll(db);
    f = await queueFixture(db);
    await addHost(db, 'host-a', new Date(f.clock.now()));
    await addHost(db, 'host-b', new Date(f.clock.now()));
  });
  afterEach(() => f.queue.stop());

  it('claims in priority order, then age, leasing each task and counting the attempt', async () => {
    const low = await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, source: 'operator' });
    f.clock.advance(10);
    const high = await f.queue.enqueue({ hostId: 'host-a', type: 'collect_diagnostics', config: {}, priority: 5, source: 'operator' });
    f.clock.advance(10);
    const low2 = await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: { reason: 'x' }, source: 'operator' });
    await f.queue.enqueue({ hostId: 'host-b', type: 'restart_core', config: {}, source: 'operator' });
    expect(low.created).toBe(true);
    const claimed = await f.queue.claim('host-a', 2);
    expect(claimed.map((t) => t.id)).toEqual([high.task.id, low.task.id]);
    for (const t of claimed) {
      expect(t.status).toBe('claimed');
      expect(t.attempts).toBe(1);
      expect(t.lease_until?.getTime()).toBe(f.clock.now() + 60_000);
    }
    expect((await f.queue.claim('host-a', 5)).map((t) => t.id)).toEqual([low2.task.id]);
    expect(await f.queue.claim('host-a', 5)).toEqual([]);
    const metrics = parseExposition(await f.registry.metrics());
    expect(sampleValue(metrics, 'phoenix_api_task_events_total', { type: 'restart_core', event: 'claimed' })).toBe(2);
    expect(sampleValue(metrics, 'phoenix_api_task_dispatch_seconds_count')).toBe(3);
  });

  it('an idempotency key returns the first task; a superseding task cancels the older pending one of its source', async () => {
    const a = await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, idempotencyKey: 'k1', source: 'operator' });
    const b = await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: { reason: 'other' }, idempotencyKey: 'k1', source: 'operator' });
    expect(b).toEqual({ task: a.task, created: false });
    const c = await f.queue.enqueue({ hostId: 'host-b', type: 'restart_core', config: {}, idempotencyKey: 'k1', source: 'operator' });
    expect(c.created).toBe(true);
    const old = await f.queue.enqueue({ hostId: 'host-a', type: 'set_control', config: { target_series: 100 }, source: 'fleet_controller', supersede: true });
    const operator = await f.queue.enqueue({ hostId: 'host-a', type: 'set_control', config: { mode: 'balanced' }, source: 'operator' });
    const next = await f.queue.enqueue({ hostId: 'host-a', type: 'set_control', config: { target_series: 200 }, source: 'fleet_controller', supersede: true });
    const rows = await db.query<{ id: string; status: string; error: string | null }>('SELECT id, status, error FROM agent_tasks WHERE type = $1 ORDER BY created_at, id', ['set_control']);
    expect(rows.rows).toEqual(
      expect.arrayContaining([
        { id: old.task.id, status: 'cancelled', error: `superseded by ${next.task.id}` },
        { id: operator.task.id, status: 'pending', error: null },
        { id: next.task.id, status: 'pending', error: null },
      ]),
    );
  });

  it('a drained host gets no tasks until it is undrained; tasks past their deadline are not claimed', async () => {
    await addHost(db, 'host-a', new Date(f.clock.now()), true);
    const t = await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, source: 'operator' });
    expect(await f.queue.claim('host-a', 5)).toEqual([]);
    await addHost(db, 'host-a', new Date(f.clock.now()), false);
    expect((await f.queue.claim('host-a', 5)).map((x) => x.id)).toEqual([t.task.id]);
    await f.queue.enqueue({ hostId: 'host-b', type: 'restart_core', config: {}, deadlineSeconds: 5, source: 'operator' });
    f.clock.advance(5000);
    expect(await f.queue.claim('host-b', 5)).toEqual([]);
  });

  it('two concurrent claimers never get the same task: 300 tasks, 12 claimers, every task exactly once', async () => {
    const n = 300;
    const ids = new Set<string>();
    for (let i = 0; i < n; i += 50) {
      await db.transaction(async (tx) => {
        for (let j = i; j < i + 50; j++) ids.add((await f.queue.enqueue({ hostId: 'host-a', type: 'collect_diagnostics', config: { log_lines: j }, source: 'operator' }, tx)).task.id);
      });
    }
    const got: string[][] = [];
    await Promise.all(
      Array.from({ length: 12 }, async (_, c) => {
        got[c] = [];
        for (;;) {
          const batch = await f.queue.claim('host-a', 1 + (c % 5));
          if (batch.length === 0) return;
          got[c].push(...batch.map((t) => t.id));
        }
      }),
    );
    const all = got.flat();
    expect(all.length).toBe(n);
    expect(new Set(all).size).toBe(n);
    expect([...new Set(all)].sort()).toEqual([...ids].sort());
    const { rows } = await db.query<{ attempts: number; n: number }>('SELECT attempts, count(*)::int AS n FROM agent_tasks GROUP BY attempts');
    expect(rows).toEqual([{ attempts: 1, n }]);
  });

  it('a long poll is answered by the notification of a queued task: the clock never moves, so no timeout or polling answered it', async () => {
    const polling = f.queue.poll('host-a', 5, 30_000);
    let answered = false;
    void polling.then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBe(false);
    expect(f.queue.waiters.size).toBe(1);
    const other = f.queue.poll('host-b', 5, 30_000);
    const t = await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, source: 'operator' });
    const tasks = await polling;
    expect(tasks.map((x) => x.id)).toEqual([t.task.id]);
    expect(tasks[0].status).toBe('claimed');
    expect(f.queue.waiters.size).toBe(1);
    f.queue.stop();
    expect(await other).toEqual([]);
  });

  it('a long poll answers at once when a task is waiting, and with nothing once the wait is over', async () => {
    const t = await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, source: 'operator' });
    expect((await f.queue.poll('host-a', 5, 30_000)).map((x) => x.id)).toEqual([t.task.id]);
    const waiting = f.queue.poll('host-a', 5, 30_000);
    await new Promise((r) => setTimeout(r, 50));
    await f.clock.advanceAsync(29_900);
    expect(f.queue.waiters.size).toBe(1);
    await f.clock.advanceAsync(100);
    expect(await waiting).toEqual([]);
    expect(f.queue.waiters.size).toBe(0);
    expect(await f.queue.poll('host-a', 5, 0)).toEqual([]);
  });

  it('a client that goes away ends its wait; a wake-up taken by another claimer makes the poll wait again', async () => {
    const ac = new AbortController();
    const gone = f.queue.poll('host-a', 5, 30_000, ac.signal);
    await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    expect(await gone).toEqual([]);
    expect(f.queue.waiters.size).toBe(0);
    const first = f.queue.poll('host-a', 1, 30_000);
    const second = f.queue.poll('host-a', 1, 30_000);
    await new Promise((r) => setTimeout(r, 50));
    const t = await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, source: 'operator' });
    const winner = await Promise.race([first, second]);
    expect(winner.map((x) => x.id)).toEqual([t.task.id]);
    await new Promise((r) => setTimeout(r, 50));
    expect(f.queue.waiters.size).toBe(1);
    const t2 = await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, source: 'operator' });
    const both = await Promise.all([first, second]);
    expect(both.flat().map((x) => x.id).sort()).toEqual([t.task.id, t2.task.id].sort());
  });
});
