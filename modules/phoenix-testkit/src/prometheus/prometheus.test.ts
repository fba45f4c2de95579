import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buildPrometheusConfig,
  findPrometheusBinary,
  promtoolCheckMetrics,
  requirePrometheusBinary,
  startPrometheus,
  type PrometheusHandle,
} from '../index';

// No skipping here: without the binaries these tests fail with the `apt-get install prometheus` hint.

const VALID_EXPOSITION = [
  '# HELP phoenix_testkit_demo_requests_total Requests handled by the demo target.',
  '# TYPE phoenix_testkit_demo_requests_total counter',
  'phoenix_testkit_demo_requests_total{path="/x"} 42',
  '# HELP phoenix_testkit_demo_temperature_celsius A gauge.',
  '# TYPE phoenix_testkit_demo_temperature_celsius gauge',
  'phoenix_testkit_demo_temperature_celsius -3.5',
  '',
].join('\n');

describe('binary lookup', () => {
  it('finds the Debian prometheus and promtool binaries', () => {
    expect(findPrometheusBinary('prometheus')).toBeDefined();
    expect(findPrometheusBinary('promtool')).toBeDefined();
  });

  it('explains how to install a missing binary', () => {
    expect(findPrometheusBinary('promtool', ['/nonexistent-phoenix-dir'])).toBeUndefined();
    expect(() => requirePrometheusBinary('promtool', ['/nonexistent-phoenix-dir'])).toThrow(/apt-get install prometheus/);
  });
});

describe('promtoolCheckMetrics', () => {
  it('accepts a clean exposition', async () => {
    const r = await promtoolCheckMetrics(VALID_EXPOSITION);
    expect(r).toEqual({ code: 0, output: '' });
  });

  it('rejects a malformed sample line', async () => {
    const r = await promtoolCheckMetrics('# HELP a_total x\n# TYPE a_total counter\na_total{path="/x" 1\n');
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/parsing error/);
  });

  it('rejects a second TYPE line for the same family', async () => {
    const r = await promtoolCheckMetrics('# HELP a_total x\n# TYPE a_total counter\n# TYPE a_total counter\na_total 1\n');
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/second TYPE line/);
  });

  it('flags a counter without the _total suffix (lint problem)', async () => {
    const r = await promtoolCheckMetrics('# HELP requests Requests.\n# TYPE requests counter\nrequests 1\n');
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/_total/);
  });
});

describe('buildPrometheusConfig', () => {
  it('generates scrape jobs with the interval, timeout and metrics path', () => {
    const yaml = buildPrometheusConfig({
      scrapeConfigs: [{ job: 'core', targets: ['127.0.0.1:8888', '127.0.0.1:8889'], metricsPath: '/m' }],
      scrapeIntervalSeconds: 2,
    });
    expect(yaml).toContain('scrape_interval: 2s');
    expect(yaml).toContain('scrape_timeout: 2s');
    expect(yaml).toContain('job_name: "core"');
    expect(yaml).toContain('metrics_path: "/m"');
    expect(yaml).toContain('targets: ["127.0.0.1:8888", "127.0.0.1:8889"]');
  });

  it('refuses URLs as targets', () => {
    expect(() => buildPrometheusConfig({ scrapeConfigs: [{ job: 'x', targets: ['http://127.0.0.1:1/metrics'] }] })).toThrow(
      /host:port/,
    );
  });
});

describe('startPrometheus', () => {
  let server: http.Server;
  let target: string;
  let prom: PrometheusHandle | undefined;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
        res.end(VALID_EXPOSITION);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await prom?.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('scrapes a real target and answers PromQL with the exact values', async () => {
    prom = await startPrometheus({ scrapeConfigs: [{ job: 'demo', targets: [target] }], scrapeIntervalSeconds: 1 });
    expect(prom.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const v = await prom.waitForValue('phoenix_testkit_demo_requests_total{job="demo"}', (x) => x !== undefined, 20_000);
    expect(v).toBe(42);
    expect(await prom.queryValue('phoenix_testkit_demo_requests_total{job="demo",path="/x"}')).toBe(42);
    expect(await prom.queryValue('phoenix_testkit_demo_temperature_celsius')).toBe(-3.5);
    expect(await prom.queryValue('up{job="demo"}')).toBe(1);
    expect(await prom.queryValue('absent_metric_never_scraped')).toBeUndefined();
    expect(await prom.queryValue('scalar(vector(7))')).toBe(7);

    const series = await prom.query('phoenix_testkit_demo_requests_total');
    expect(series).toHaveLength(1);
    expect(series[0].metric).toEqual({
      __name__: 'phoenix_testkit_demo_requests_total',
      instance: target,
      job: 'demo',
      path: '/x',
    });

    const targets = await prom.targets();
    expect(targets).toHaveLength(1);
    expect(targets[0]).toMatchObject({ job: 'demo', health: 'up', scrapeUrl: `http://${target}/metrics`, lastError: '' });

    await expect(prom.query('sum(')).rejects.toThrow(/bad_data|parse error/);
  });

  it('stop() is idempotent and removes the temp directory', async () => {
    const p = prom!;
    const fs = await import('node:fs');
    expect(fs.existsSync(p.dir)).toBe(true);
    await Promise.all([p.stop(), p.stop()]);
    await p.stop();
    expect(fs.existsSync(p.dir)).toBe(false);
    await expect(fetch(`${p.url}/-/ready`)).rejects.toThrow();
  });
});
