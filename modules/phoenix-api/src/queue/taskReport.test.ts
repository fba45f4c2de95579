import { eachBackend } from '../../test/helpers/dbHarness';
import { addHost, openMigrated, queueFixture, truncateAll, type QueueFixture } from '../../test/helpers/migrated';
import type { Database } from '../db/database';
import { HttpError } from '../errors';
import { retryDelayMs } from './config';

async function rejection(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(err)}`);
  return { status: err.status, message: err.message };
}

describe('retryDelayMs (exponential, capped, equal jitter)', () => {
  it('doubles from the base, stops at the cap, and keeps at least half of it', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, 2, 300, () => 1))).toEqual([2000, 4000, 8000, 16000]);
    expect([1, 2, 3].map((a) => retryDelayMs(a, 2, 300, () => 0))).toEqual([1000, 2000, 4000]);
    expect(retryDelayMs(20, 2, 300, () => 1)).toBe(300_000);
    expect(retryDelayMs(3, 2, 300, () => 0.5)).toBe(6000);
  });
});

eachBackend((h) => {
  let db: Database;
  let f: QueueFixture;
  let taskId: string;
  beforeAll(async () => {
    db = await openMigrated(h());
  });
  beforeEach(async () => {
    await truncateAll(db);
    f = await queueFixture(db);
    await addHost(db, 'host-a', new Date(f.clock.now()));
    await addHost(db, 'host-b', new Date(f.clock.now()));
    taskId = (await f.queue.enqueue({ hostId: 'host-a', type: 'restart_core', config: {}, source: 'operator' })).task.id;
    await f.queue.claim('host-a', 1);
  });
  afterEach(() => f.queue.stop());

  it('running extends the lease, succeeded finishes with the result; the same report twice answers the same', async () => {
    f.clock.advance(1000);
    const running = await f.queue.report('host-a', taskId, { attempt: 1, status: 'running' });
    expect(running.status).toBe('running');
    expect(running.started_at?.getTime()).toBe(f.clock.now());
    expect(running.lease_until?.getTime()).toBe(f.clock.now() + 60_000);
    f.clock.advance(1000);
    const again = await f.queue.report('host-a', taskId, { attempt: 1, status: 'running' });
    expect(again.lease_until?.getTime()).toBe(f.clock.now() + 60_000);
    expect(again.started_at?.getTime()).toBe(f.clock.now() - 1000);
    const done = await f.queue.report('host-a', taskId, { attempt: 1, status: 'succeeded', result: { restarted: true } });
    expect(done).toMatchObject({ status: 'succeeded', result: { restarted: true }, lease_until: null, error: null });
    expect(done.finished_at?.getTime()).toBe(f.clock.now());
    f.clock.advance(5000);
    expect(await f.queue.report('host-a', taskId, { attempt: 1, status: 'succeeded', result: { restarted: true } })).toEqual(done);
  });

  it('409: another attempt, a change of a final state, a second outcome of an attempt; 403 another host; 404 unknown', async () => {
    expect(await rejection(f.queue.report('host-a', taskId, { attempt: 2, status: 'running' }))).toEqual({
      status: 409,
      message: `report for attempt 2, but task ${taskId} is at attempt 1`,
    });
    expect(await rejection(f.queue.report('host-b', taskId, { attempt: 1, status: 'running' }))).toEqual({
      status: 403,
      message: `task ${taskId} is not a task of host host-b`,
    });
    expect(await rejection(f.queue.report('host-a', 'nope', { attempt: 1, status: 'running' }))).toEqual({ status: 404, message: 'task nope not found' });
    await f.queue.report('host-a', taskId, { attempt: 1, status: 'succeeded', result: { a: 1 } });
    expect(await rejection(f.queue.report('host-a', taskId, { attempt: 1, status: 'succeeded', result: { a: 2 } }))).toEqual({
      status: 409,
      message: `task ${taskId} is already succeeded`,
    });
    expect(await rejection(f.queue.report('host-a', taskId, { attempt: 1, status: 'failed', error: 'x' }))).toEqual({ status: 409, message: `task ${taskId} is already succeeded` });
  });

  it('a retryable failure goes back to pending after the backoff; the last attempt fails the task', async () => {
    const failed = await f.queue.report('host-a', taskId, { attempt: 1, status: 'failed', error: 'core not ready' });
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, error: 'core not ready', lease_until: null });
    expect(failed.not_before?.getTime()).toBe(f.clock.now() + 1500);
    expect(await rejection(f.queue.report('host-a', taskId, { attempt: 1, status: 'succeeded' }))).toEqual({
      status: 409,
      message: `attempt 1 of task ${taskId} was already reported failed`,
    });
    expect(await f.queue.report('host-a', taskId, { attempt: 1, status: 'failed', error: 'core not ready' })).toEqual(failed);
    expect(await f.queue.claim('host-a', 1)).toEqual([]);
    f.clock.advance(1500);
    expect((await f.queue.claim('host-a', 1)).map((t) => t.attempts)).toEqual([2]);
    const second = await f.queue.report('host-a', taskId, { attempt: 2, status: 'failed', error: 'still not' });
    expect(second.not_before?.getTime()).toBe(f.clock.now() + 3000);
    f.clock.advance(3000);
    await f.queue.claim('host-a', 1);
    const last = await f.queue.report('host-a', taskId, { attempt: 3, status: 'failed', error: 'gave up' });
    expect(last).toMatchObject({ status: 'failed', attempts: 3, error: 'gave up (attempt 3 of 3)', not_before: null });
  });

  it('a non-retryable failure fails at once with its error', async () => {
    const t = await f.queue.report('host-a', taskId, { attempt: 1, status: 'failed', error: 'config: must have required property pipeline_id', retryable: false });
    expect(t).toMatchObject({ status: 'failed', attempts: 1, error: 'config: must have required property pipeline_id' });
  });

  it('a waiting long poll is woken when the retry falls due', async () => {
    await f.queue.report('host-a', taskId, { attempt: 1, status: 'failed', error: 'later' });
    const waiting = f.queue.poll('host-a', 1, 30_000);
    await new Promise((r) => setTimeout(r, 100));
    await f.clock.advanceAsync(1400);
    expect(f.queue.waiters.size).toBe(1);
    await f.clock.advanceAsync(100);
    expect((await waiting).map((t) => [t.id, t.attempts])).toEqual([[taskId, 2]]);
  });

  it('a report of the current attempt after its lease expired (not claimed again) is still taken', async () => {
    await db.query("UPDATE agent_tasks SET status = 'pending', lease_until = NULL WHERE id = $1", [taskId]);
    const t = await f.queue.report('host-a', taskId, { attempt: 1, status: 'succeeded', result: { late: true } });
    expect(t).toMatchObject({ status: 'succeeded', attempts: 1, result: { late: true } });
  });

  it('cancel: an open task is cancelled (idempotent); a finished one is 409', async () => {
    const c = await f.queue.cancel(taskId);
    expect(c).toMatchObject({ status: 'cancelled', error: 'cancelled by an operator' });
    expect(await f.queue.cancel(taskId)).toEqual(c);
    expect(await rejection(f.queue.report('host-a', taskId, { attempt: 1, status: 'succeeded' }))).toEqual({ status: 409, message: `task ${taskId} is already cancelled` });
    const other = (await f.queue.enqueue({ hostId: 'host-b', type: 'restart_core', config: {}, source: 'operator' })).task.id;
    await f.queue.claim('host-b', 1);
    await f.queue.report('host-b', other, { attempt: 1, status: 'succeeded' });
    expect(await rejection(f.queue.cancel(other))).toEqual({ status: 409, message: `task ${other} is already succeeded` });
    expect(await rejection(f.queue.cancel('missing'))).toEqual({ status: 404, message: 'task missing not found' });
  });
});
