import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateGeneratorsReplayReport, type GeneratorsLoadStatus, type GeneratorsReplayReport, type GeneratorsTruth } from '@phoenix/contracts';
import { waitFor } from '@phoenix/testkit';
import { PROCESS_METRICS } from '../metrics/processMetrics';
import { startFakeOtlpReceiver, type FakeOtlpReceiver } from '../testing/fakeOtlpReceiver';
import { api, GENERATORS_DIST, scrape, startCore, startGeneratorsService } from './harness';

/**
 * The compiled service and CLIs as real processes (which is also where the OTLP/HTTP exporters run:
 * they load node:http with a dynamic import() that jest's VM refuses). Needs `npx tsc -b` first.
 */

function runNode(script: string, args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!fs.existsSync(script)) throw new Error(`${script} does not exist: run \`npx tsc -b\` at the repository root first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the service (dist/main.js)', () => {
  const main = (): string => path.join(GENERATORS_DIST, 'main.js');
  const firstLine = (stdout: string): Record<string, unknown> => JSON.parse(stdout.trim().split('\n')[0]) as Record<string, unknown>;

  test('an invalid configuration exits 2 with every problem, each naming its variable', async () => {
    const r = await runNode(main(), [], { PHOENIX_BIND_ADDRESS: '0.0.0.0', PHOENIX_GENERATORS_PORT: '0', PHOENIX_API_TOKEN: '', PHOENIX_ALLOW_INSECURE: 'nope' }, 20_000);
    expect(r.code).toBe(2);
    expect(firstLine(r.stdout)).toMatchObject({
      level: 'error',
      service: 'phoenix-generators',
      msg: 'invalid configuration',
      errors: [
        'PHOENIX_ALLOW_INSECURE: must be true or false (1/0, yes/no, on/off; got "nope")',
        'api.bindAddress (PHOENIX_BIND_ADDRESS): refusing to bind the generators API to non-loopback 0.0.0.0 without a token: set PHOENIX_API_TOKEN, or PHOENIX_ALLOW_INSECURE=true to allow it',
      ],
    });
    const short = await runNode(main(), [], { PHOENIX_GENERATORS_PORT: '0', PHOENIX_API_TOKEN: 'eight-ch' }, 20_000);
    expect(short.code).toBe(2);
    expect(firstLine(short.stdout)).toMatchObject({ msg: 'invalid configuration', errors: ['api.token (PHOENIX_API_TOKEN): must be at least 16 characters when set'] });
  });

  test('an unknown boot scenario exits 2 naming the known ones; PHOENIX_ALLOW_INSECURE=1 allows a public bind', async () => {
    const r = await runNode(main(), [], { PHOENIX_GENERATORS_PORT: '0', PHOENIX_BIND_ADDRESS: '0.0.0.0', PHOENIX_ALLOW_INSECURE: '1', PHOENIX_GENERATORS_SCENARIO: 'nope' }, 20_000);
    expect(r.code).toBe(2);
    expect(firstLine(r.stdout)).toMatchObject({
      msg: 'invalid configuration',
      errors: ['autostartScenario (PHOENIX_GENERATORS_SCENARIO): unknown scenario "nope"; known: churn_storm, gradual_growth, spike, steady, wave'],
    });
  });

  test('SIGTERM stops a running service cleanly: exit 0', async () => {
    const { svc, base } = await startGeneratorsService({ PHOENIX_GENERATORS_SCENARIO: 'steady', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' });
    expect((await api(base, 'GET', '/api/v1/load')).body).toMatchObject({ running: true, source: 'scenario' });
    expect(await svc.stop()).toBe(0);
  });

  test.each(['http/protobuf', 'http/json'] as const)('exports over OTLP %s (OTEL_EXPORTER_OTLP_PROTOCOL) and the received series equal the truth', async (protocol) => {
    const receiver = await startFakeOtlpReceiver();
    const { svc, base } = await startGeneratorsService({ OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl });
    try {
      await api(base, 'PUT', '/api/v1/load', { hosts: 2, processes_per_host: 15, churn_rate: 0.1, export_interval_seconds: 0.5 });
      await waitFor(async () => ((await api(base, 'GET', '/api/v1/load')).body as GeneratorsLoadStatus).exports.ok >= 6, { timeoutMs: 20_000, what: 'exports' });
      await api(base, 'POST', '/api/v1/load/stop');
      const truth = (await api(base, 'GET', '/api/v1/truth')).body as GeneratorsTruth;
      expect(receiver.requests.every((r) => r.protocol === protocol)).toBe(true);
      for (const host of truth.hosts) {
        const last = receiver.requests.filter((r) => r.points[0]?.resource['host.name'] === host.host_name).at(-1);
        for (const m of host.metrics) {
          const pts = (last?.points ?? []).filter((p) => p.metric === m.name);
          expect(pts.length).toBe(m.series);
          expect(pts.reduce((s, p) => s + p.value, 0)).toBe(m.total);
        }
      }
    } finally {
      await svc.stop();
      await receiver.close();
    }
  });
});

describe('the generate CLI (dist/cli/generateCli.js)', () => {
  let receiver: FakeOtlpReceiver;
  beforeEach(async () => {
    receiver = await startFakeOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  test('runs a profile for --duration with a progress line and a JSON summary', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-cli-'));
    const file = path.join(dir, 'tiny_spike.yaml');
    fs.writeFileSync(
      file,
      [
        'version: 1',
        'name: tiny_spike',
        'hosts: 2',
        'processes_per_host: 5',
        'export_interval_seconds: 0.5',
        'phases:',
        '  - { name: base, duration_seconds: 1, scale: 1 }',
        '  - { name: spike, duration_seconds: 1, scale: 5 }',
      ].join('\n'),
    );
    const r = await runNode(path.join(GENERATORS_DIST, 'cli', 'generateCli.js'), ['--profile', file, '--duration', '2', '--endpoint', receiver.httpUrl, '--protocol', 'http/protobuf']);
    expect(r.code).toBe(0);
    const progress = r.stderr.trim().split('\n');
    expect(progress).toHaveLength(4);
    expect(progress[0]).toMatch(/^\[tiny_spike\] 0\.5\/2s phase base \| hosts 2 processes 10 series 70 \| exports ok 2 failed 0 \| interval took /);
    expect(progress[3]).toMatch(/^\[tiny_spike\] 2\/2s phase spike \| hosts 2 processes 50 series 350 \| exports ok 8 failed 0/);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ profile: 'tiny_spike', export_intervals: 4, exports_ok: 8, exports_failed: 0, max_series_per_export: 350 });
    expect(receiver.requests.length).toBe(8);
    expect(receiver.requests.every((q) => q.protocol === 'http/protobuf')).toBe(true);
  });

  test('exits 2 with a message naming the flag on bad arguments', async () => {
    const r = await runNode(path.join(GENERATORS_DIST, 'cli', 'generateCli.js'), ['--profile', 'spike', '--duration', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--duration: must be a number of seconds > 0/);
  });
});

describe('against the real phoenix-core', () => {
  test('the service over OTLP/HTTP protobuf: truth totals equal the sums on :8888', async () => {
    const core = await startCore();
    const { svc, base } = await startGeneratorsService({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_ENDPOINT: core.httpUrl });
    try {
      await api(base, 'PUT', '/api/v1/load', { hosts: 2, processes_per_host: 25, churn_rate: 0, export_interval_seconds: 0.5 });
      await waitFor(async () => ((await api(base, 'GET', '/api/v1/load')).body as GeneratorsLoadStatus).exports.ok >= 4, { timeoutMs: 20_000, what: 'exports' });
      await api(base, 'POST', '/api/v1/load/stop');
      const truth = (await api(base, 'GET', '/api/v1/truth')).body as GeneratorsTruth;
      const samples = (await scrape(core.fullFidelityUrl)).samples;
      expect(truth.hosts).toHaveLength(2);
      for (const host of truth.hosts) {
        for (const m of host.metrics) {
          const got = samples.filter((s) => s.name === m.prometheus_name && s.labels.host_name === host.host_name);
          expect(got.length).toBe(m.series);
          expect(got.reduce((s, x) => s + x.value, 0)).toBe(m.total);
        }
      }
      expect(samples.filter((s) => PROCESS_METRICS.some((d) => d.prometheusName === s.name)).length).toBe(truth.series);
    } finally {
      await svc.stop();
      await core.stop();
    }
  });

  test.each(['http', 'grpc'] as const)('the replay CLI over %s: the core accepts every point and the report matches its counters', async (protocol) => {
    const core = await startCore();
    try {
      const r = await runNode(path.join(GENERATORS_DIST, 'replay', 'cli.js'), [
        '--series', '2000', '--rate', '20000', '--duration', '2', '--protocol', protocol,
        '--endpoint', protocol === 'http' ? core.httpUrl : core.grpcUrl, '--batch-size', '500',
      ]);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as GeneratorsReplayReport;
      expect(validateGeneratorsReplayReport(report)).toMatchObject({ ok: true });
      expect(report.requests.failed).toBe(0);
      expect(report.data_points.rejected).toBe(0);
      // at least one whole round of the 2,000 series, never more than the target rate allows (speed is the bench's)
      expect(report.data_points.sent).toBeGreaterThanOrEqual(2000);
      expect(report.data_points.sent).toBeLessThanOrEqual(20_000 * 2 + 500);
      const obs = (await scrape(core.observatoryUrl)).samples;
      const accepted = obs
        .filter((s) => s.name === 'phoenix_receiver_data_points_total' && s.labels.outcome === 'accepted' && s.labels.protocol === protocol)
        .reduce((s, x) => s + x.value, 0);
      expect(accepted).toBe(report.data_points.accepted);
      const series = (await scrape(core.fullFidelityUrl)).samples.filter((s) => s.name === 'process_cpu_time_seconds_total' && s.labels.host_name.startsWith('replay-host-'));
      expect(series.length).toBe(2000);
    } finally {
      await core.stop();
    }
  });
});
