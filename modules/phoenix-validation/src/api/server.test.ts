import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { FakeStack } from '../../test/fakeStack';
import { tmpDir } from '../../test/helpers';
import { call } from '../../test/openapi';
import { loadCatalog, defaultCatalogPath } from '../catalog/catalog';
import { GeneratorsClient } from '../clients/generators';
import { loadConfig } from '../config';
import { silentLogger } from '@phoenix/runtime';
import { RunManager } from '../runner/manager';
import { DirectSource } from '../sources/direct';
import { RunStore } from '../store/store';
import { defaultApiConfig } from './config';
import { createApiApp } from './server';

async function listen(app: http.RequestListener, host: string): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('benchmark API security', () => {
  const stack = new FakeStack();
  let manager: RunManager;
  let store: RunStore;

  beforeAll(async () => {
    await stack.start();
    const dir = tmpDir();
    const { config } = loadConfig({ PHOENIX_DATA_DIR: dir, ...stack.env() });
    store = RunStore.open(path.join(dir, 'v.sqlite'));
    manager = new RunManager({
      config,
      store,
      catalog: loadCatalog(defaultCatalogPath()),
      source: new DirectSource({ coreUrl: `${stack.base}/core`, timeoutMs: 1000 }),
      generators: new GeneratorsClient(`${stack.base}/gen`, undefined),
      log: silentLogger(),
      origin: 'api',
    });
  });
  afterAll(async () => {
    store.close();
    await stack.stop();
  });

  const health = () => ({ status: 'ok' as const, busy: false, uptime_seconds: 0, scenarios: 5, data_source: 'direct' as const });

  it('rate limit on mutating routes -> 429 (reads are not limited)', async () => {
    const app = createApiApp({ config: { ...defaultApiConfig, rateLimitPerMinute: 3 }, manager, registry: new Registry(), log: silentLogger(), health });
    const { server, port } = await listen(app, '127.0.0.1');
    const base = `http://127.0.0.1:${port}`;
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await call(base, 'DELETE', '/api/v1/benchmarks/nope')).status);
      expect(codes).toEqual([404, 404, 404, 429]);
      expect((await call(base, 'POST', '/api/v1/benchmarks', { body: { scenario: 'cardinality_spike' } })).status).toBe(429);
      for (let i = 0; i < 5; i++) expect((await call(base, 'GET', '/api/v1/benchmarks')).status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('without a token, a non-loopback client gets 403 on mutating routes (reads stay open)', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    expect(external).toBeDefined(); // the test needs a non-loopback IPv4 address to connect from
    // Bypasses validateApiConfig on purpose (it refuses such a bind): defence in depth.
    const app = createApiApp({ config: { ...defaultApiConfig, bindAddress: '0.0.0.0' }, manager, registry: new Registry(), log: silentLogger(), health });
    const { server, port } = await listen(app, '0.0.0.0');
    try {
      expect((await call(`http://127.0.0.1:${port}`, 'DELETE', '/api/v1/benchmarks/nope')).status).toBe(404);
      const remote = `http://${external}:${port}`;
      const del = await call(remote, 'DELETE', '/api/v1/benchmarks/nope');
      expect(del.status).toBe(403);
      expect(del.body).toEqual({ error: 'no PHOENIX_API_TOKEN is configured: mutating routes only accept loopback clients' });
      expect((await call(remote, 'POST', '/api/v1/benchmarks', { body: { scenario: 'cardinality_spike' } })).status).toBe(403);
      expect((await call(remote, 'GET', '/api/v1/benchmarks')).status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
