/**
 * The lifecycle contract of the sharded core (worker threads from the build in dist/): start →
 * stop, start twice is one start, stop without start, stop twice is one stop, no start after stop.
 */
import fs from 'node:fs';
import { silentLogger } from '@phoenix/runtime';
import { testConfig } from '../../test/startCore';
import { ShardedCoreService } from './shardedCoreService';

const dirs: string[] = [];

function newCore(): ShardedCoreService {
  const { config, dataDir } = testConfig((c) => {
    c.shards = 2;
  });
  dirs.push(dataDir);
  return new ShardedCoreService(config, { log: silentLogger(), timers: false });
}

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('ShardedCoreService lifecycle', () => {
  test('start → stop: shards answer and health is 200 while started; after stop the shards and listeners are gone', async () => {
    const core = newCore();
    await core.start();
    const health = `http://127.0.0.1:${core.boundPorts().health}/health`;
    expect((await fetch(health)).status).toBe(200);
    expect((await core.pool.stats()).map((s) => s.store.series)).toEqual([0, 0]);
    await core.stop();
    await expect(core.pool.stats()).rejects.toThrow('the core is shutting down');
    await expect(fetch(health)).rejects.toThrow('fetch failed');
  });

  test('start twice is one start; stop twice is one stop', async () => {
    const core = newCore();
    const first = core.start();
    expect(core.start()).toBe(first);
    await first;
    expect(core.pool.workerThreads).toHaveLength(2);
    const stopping = core.stop();
    expect(core.stop()).toBe(stopping);
    await stopping;
  });

  test('stop without start resolves without starting a shard; start after stop rejects', async () => {
    const core = newCore();
    await core.stop();
    expect(core.pool.workerThreads).toHaveLength(0);
    await expect(core.start()).rejects.toThrow('phoenix-core is stopped; it cannot be started again');
    const started = newCore();
    await started.start();
    await started.stop();
    await expect(started.start()).rejects.toThrow('phoenix-core is stopped; it cannot be started again');
  });
});
