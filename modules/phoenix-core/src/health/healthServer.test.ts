import { silentLogger } from '@phoenix/runtime';
import { HealthServer } from './healthServer';

describe('HealthServer', () => {
  test('503 until ready, 200 when ready, 503 again on stop; stop is idempotent', async () => {
    const h = new HealthServer('127.0.0.1', 0, silentLogger());
    await h.start();
    const url = `http://127.0.0.1:${h.port}/health`;
    const first = await fetch(url);
    expect(first.status).toBe(503);
    expect(await first.json()).toMatchObject({ status: 'starting' });
    h.setReady(true);
    const ready = await fetch(url);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
    expect((await fetch(`http://127.0.0.1:${h.port}/`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${h.port}/other`)).status).toBe(404);
    await h.stop();
    await h.stop();
    await expect(fetch(url)).rejects.toThrow();
  });
});
