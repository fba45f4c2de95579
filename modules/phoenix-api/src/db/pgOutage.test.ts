import { UnavailableError } from '@phoenix/runtime';
import { eachBackend } from '../../test/helpers/dbHarness';
import type { Database } from './database';

async function waitUntil(cond: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** PostgreSQL stopped and started again: 503s (UnavailableError) meanwhile, never a hang; then it reconnects by itself. */
eachBackend(
  (h) => {
    let db: Database;
    beforeAll(async () => {
      db = await h().open();
      await db.query('CREATE TABLE kept (v int)');
    });

    it('fails fast with UnavailableError while stopped, says why in health, and recovers pool and LISTEN connection', async () => {
      const notes: string[] = [];
      let reconnects = 0;
      const health: boolean[] = [];
      await db.listen('phoenix_outage', (p) => notes.push(p));
      db.onReconnect(() => reconnects++);
      db.onHealthChange((x) => health.push(x.up));
      await db.query('INSERT INTO kept VALUES (1)');

      await h().postgres!.stop();
      const failures = await Promise.all([
        db.query('INSERT INTO kept VALUES (2)').then(() => 'ok', (e: unknown) => e),
        db.transaction((tx) => tx.query('INSERT INTO kept VALUES (3)')).then(() => 'ok', (e: unknown) => e),
        db.query('SELECT 1').then(() => 'ok', (e: unknown) => e),
      ]);
      for (const f of failures) {
        expect(f).toBeInstanceOf(UnavailableError);
        expect((f as UnavailableError).retryAfterSeconds).toBe(2);
        expect((f as UnavailableError).message).toMatch(/^database unavailable: /);
      }
      const down = db.health();
      expect(down.up).toBe(false);
      expect(down.error).toMatch(/ECONNREFUSED|terminat|connect/i);

      await h().postgres!.start();
      await waitUntil(() => db.health().up);
      await waitUntil(() => reconnects >= 1);
      await db.query('INSERT INTO kept VALUES (4)');
      expect((await db.query('SELECT v FROM kept ORDER BY v')).rows).toEqual([{ v: 1 }, { v: 4 }]);
      await db.transaction((tx) => tx.notify('phoenix_outage', 'after-restart'));
      await waitUntil(() => notes.length === 1);
      expect(notes).toEqual(['after-restart']);
      expect(health).toEqual([false, true]);
    }, 60_000);
  },
  ['postgresql'],
);
