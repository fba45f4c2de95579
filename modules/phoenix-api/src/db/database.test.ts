import { UnavailableError } from '@phoenix/runtime';
import { eachBackend } from '../../test/helpers/dbHarness';
import { isUnavailable, mapDatabaseError, type Database } from './database';

describe('isUnavailable / mapDatabaseError (an unreachable database is a 503, a bad statement is not)', () => {
  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }],
    [{ code: '57P03', message: 'the database system is starting up' }],
    [{ code: '08006', message: 'connection failure' }],
    [{ code: '53300', message: 'sorry, too many clients already' }],
    [{ code: '57014', message: 'canceling statement due to statement timeout' }],
    [{ code: '40001', message: 'could not serialize access' }],
    [new Error('timeout exceeded when trying to connect')],
    [new Error('Connection terminated unexpectedly')],
  ])('%p is unavailable', (err) => {
    expect(isUnavailable(err)).toBe(true);
    const mapped = mapDatabaseError(err, 7);
    expect(mapped).toBeInstanceOf(UnavailableError);
    expect(mapped.message).toBe(`database unavailable: ${(err as { message: string }).message}`);
    expect((mapped as UnavailableError).retryAfterSeconds).toBe(7);
    expect((mapped as UnavailableError).reason).toBe('database_unavailable');
  });

  it.each([[{ code: '42601', message: 'syntax error at or near "SELEC"' }], [{ code: '23505', message: 'duplicate key value' }], [new Error('boom')]])('%p is not', (err) => {
    expect(isUnavailable(err)).toBe(false);
    expect(mapDatabaseError(err, 7)).not.toBeInstanceOf(UnavailableError);
  });
});

eachBackend((h) => {
  let db: Database;
  beforeAll(async () => {
    db = await h().open();
    await db.query('CREATE TABLE t (id bigint PRIMARY KEY, doc jsonb, at timestamptz, tags text[])');
    await db.query('CREATE TABLE counter (id int PRIMARY KEY, v int NOT NULL)');
    await db.query('INSERT INTO counter VALUES (1, 0)');
  });

  it('reports its backend and that it is up', () => {
    const health = db.health();
    expect(health.backend).toBe(h().backend);
    expect(health.up).toBe(true);
    expect(health.error).toBeUndefined();
    if (h().backend === 'postgresql') expect(health.pool?.max).toBe(10);
  });

  it('the same SQL returns the same JS values: bigint as number, jsonb parsed, timestamptz as Date, text[] and ANY', async () => {
    const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
    const ins = await db.query('INSERT INTO t (id, doc, at, tags) VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)', [
      9_007_199_254_740_000,
      JSON.stringify({ a: [1, 'x'], b: null }),
      at,
      ['x', 'y'],
      2,
      JSON.stringify([]),
      at.toISOString(),
      [],
    ]);
    expect(ins.rowCount).toBe(2);
    const { rows, rowCount } = await db.query<{ id: number; doc: unknown; at: Date; tags: string[] }>('SELECT id, doc, at, tags FROM t WHERE id = ANY($1::bigint[]) ORDER BY id', [[2, 9_007_199_254_740_000]]);
    expect(rowCount).toBe(2);
    expect(rows).toEqual([
      { id: 2, doc: [], at, tags: [] },
      { id: 9_007_199_254_740_000, doc: { a: [1, 'x'], b: null }, at, tags: ['x', 'y'] },
    ]);
    const upd = await db.query('UPDATE t SET doc = $2 WHERE id = $1 RETURNING id', [2, JSON.stringify({ n: 1 })]);
    expect(upd).toEqual({ rows: [{ id: 2 }], rowCount: 1 });
    expect((await db.query('UPDATE t SET doc = NULL WHERE id = -1')).rowCount).toBe(0);
  });

  it('a transaction commits when its body resolves and rolls back when it throws (the error as it was)', async () => {
    const out = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id) VALUES (10)');
      return 'done';
    });
    expect(out).toBe('done');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES (11)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const bad = db.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id) VALUES (12)');
      await tx.query('SELEC 1');
    });
    await expect(bad).rejects.toMatchObject({ code: '42601' });
    await expect(bad).rejects.not.toBeInstanceOf(UnavailableError);
    const { rows } = await db.query<{ id: number }>('SELECT id FROM t WHERE id BETWEEN 10 AND 12 ORDER BY id');
    expect(rows).toEqual([{ id: 10 }]);
  });

  it('exec runs a script of several statements inside the transaction', async () => {
    await db.transaction((tx) => tx.exec('CREATE TABLE s1 (v int); INSERT INTO s1 VALUES (1); INSERT INTO s1 VALUES (2);'));
    expect((await db.query('SELECT sum(v)::int AS n FROM s1')).rows).toEqual([{ n: 3 }]);
  });

  it('notify is delivered after the commit, never after a rollback; unsubscribed listeners get nothing', async () => {
    const got: string[] = [];
    const other: string[] = [];
    const unsubscribe = await db.listen('phoenix_test', (p) => got.push(p));
    const unsubscribeOther = await db.listen('phoenix_other', (p) => other.push(p));
    let seenInside: string[] = [];
    await db.transaction(async (tx) => {
      await tx.notify('phoenix_test', 'host-a');
      await tx.notify('phoenix_test', 'host-b');
      await new Promise((r) => setTimeout(r, 50));
      seenInside = [...got];
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.notify('phoenix_test', 'rolled-back');
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    await db.transaction((tx) => tx.notify('phoenix_other', 'x'));
    await waitUntil(() => got.length >= 2 && other.length >= 1);
    expect(seenInside).toEqual([]);
    expect(got).toEqual(['host-a', 'host-b']);
    expect(other).toEqual(['x']);
    unsubscribe();
    await db.transaction((tx) => tx.notify('phoenix_test', 'after'));
    await db.transaction((tx) => tx.notify('phoenix_other', 'y'));
    await waitUntil(() => other.length >= 2);
    expect(got).toEqual(['host-a', 'host-b']);
    unsubscribeOther();
    await expect(db.listen('Bad-Channel', () => undefined)).rejects.toThrow('invalid notification channel "Bad-Channel"');
  });

  it('concurrent read-modify-write transactions lose no update (serialized by PGlite, by FOR UPDATE on PostgreSQL)', async () => {
    const n = 40;
    await Promise.all(
      Array.from({ length: n }, () =>
        db.transaction(async (tx) => {
          const { rows } = await tx.query<{ v: number }>('SELECT v FROM counter WHERE id = 1 FOR UPDATE');
          await tx.query('UPDATE counter SET v = $1 WHERE id = 1', [rows[0].v + 1]);
        }),
      ),
    );
    expect((await db.query('SELECT v FROM counter WHERE id = 1')).rows).toEqual([{ v: n }]);
  });

  it('a session holds a session-level advisory lock until it is closed', async () => {
    const s1 = await db.session();
    expect((await s1.query('SELECT pg_try_advisory_lock(42) AS ok')).rows).toEqual([{ ok: true }]);
    const closed: string[] = [];
    s1.onClose(() => closed.push('s1'));
    if (h().backend === 'postgresql') {
      const s2 = await db.session();
      expect((await s2.query('SELECT pg_try_advisory_lock(42) AS ok')).rows).toEqual([{ ok: false }]);
      await s1.close();
      expect((await s2.query('SELECT pg_try_advisory_lock(42) AS ok')).rows).toEqual([{ ok: true }]);
      await s2.close();
    } else {
      await s1.query('SELECT pg_advisory_unlock(42)');
      await s1.close();
    }
    expect(s1.closed).toBe(true);
    expect(closed).toEqual(['s1']);
    await s1.close();
    expect(closed).toEqual(['s1']);
  });
});

async function waitUntil(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
