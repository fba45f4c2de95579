/** Importing the runtime loads no REST framework: services without a REST API stay small (needs the build: npx tsc -b). */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import express from 'express';
import { Registry } from 'prom-client';
import { installApiGuards } from './apiGuards';

const DIST = path.resolve(__dirname, '../dist/index.js');

describe('the runtime loads express, express-rate-limit and prom-client on first use', () => {
  test('requiring the built index loads none of them', () => {
    const script = `require(${JSON.stringify(DIST)}); const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](express|express-rate-limit|prom-client)[\\\\/]/.test(f)); process.stdout.write(JSON.stringify(loaded));`;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))).toEqual([]);
  });

  test('installApiGuards still builds its guards (and its request counter)', async () => {
    const registry = new Registry();
    const guards = installApiGuards(express(), {
      metricName: 'phoenix_test_api_requests_total',
      metricHelp: 'test',
      realm: 'test',
      api: { token: undefined, allowInsecure: false, rateLimitPerMinute: 10, bodyLimitBytes: 1024 },
      registry,
      sendError: () => undefined,
    });
    expect(Object.keys(guards).sort()).toEqual(['authorize', 'json', 'limiter', 'requireJson']);
    expect(await registry.metrics()).toContain('# TYPE phoenix_test_api_requests_total counter');
  });
});
