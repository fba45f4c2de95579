import { validateGeneratorsReplayReport } from '@phoenix/contracts';
import { startFakeOtlpReceiver, type FakeOtlpReceiver } from '../testing/fakeOtlpReceiver';
import { parseReplayArgs } from './cli';
import { replayHttpUrl, runReplay } from './runReplay';

describe('runReplay against an OTLP receiver', () => {
  let receiver: FakeOtlpReceiver;
  beforeEach(async () => {
    receiver = await startFakeOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  test.each(['http', 'grpc'] as const)('over %s it sends every series round after round at the target rate and reports what was accepted', async (protocol) => {
    const report = await runReplay({
      series: 500,
      rate: 5000,
      durationSeconds: 1,
      protocol,
      endpoint: protocol === 'http' ? receiver.httpUrl : receiver.grpcUrl,
      batchSize: 100,
      concurrency: 4,
    });
    expect(validateGeneratorsReplayReport(report)).toMatchObject({ ok: true });
    expect(report.requests_per_round).toBe(5);
    expect(report.requests.failed).toBe(0);
    expect(report.data_points.rejected).toBe(0);
    expect(report.data_points.accepted).toBe(report.data_points.sent);
    // The pacer never sends faster than the target: at most rate x duration points plus one batch of burst.
    // (How close it gets to the target is a speed figure, measured by the bench, not asserted here.)
    expect(report.data_points.sent).toBeGreaterThanOrEqual(500);
    expect(report.data_points.sent % 100).toBe(0);
    expect(report.data_points.sent).toBeLessThanOrEqual(5200);
    expect(report.rounds).toBeGreaterThanOrEqual(1);
    expect(report.achieved_rate).toBeLessThan(6000);
    const received = receiver.requests.flatMap((r) => r.points);
    expect(received.length).toBe(report.data_points.sent);
    expect(new Set(received.map((p) => JSON.stringify([p.resource, p.attributes]))).size).toBe(500);
    // Each series' cumulative value and timestamp increase from round to round.
    const bySeries = new Map<string, { t: bigint; v: number }[]>();
    for (const p of received) {
      const k = JSON.stringify([p.resource, p.attributes]);
      const list = bySeries.get(k) ?? [];
      list.push({ t: BigInt(p.timeUnixNano), v: p.value });
      bySeries.set(k, list);
    }
    for (const list of bySeries.values()) {
      for (let i = 1; i < list.length; i++) {
        expect(list[i].t > list[i - 1].t).toBe(true);
        expect(list[i].v).toBeGreaterThan(list[i - 1].v);
      }
    }
  });

  test('counts partial_success rejections and failed requests', async () => {
    receiver.behaviour.rejectPoints = 10;
    const partial = await runReplay({ series: 100, rate: 1000, durationSeconds: 0.3, protocol: 'grpc', endpoint: receiver.grpcUrl, batchSize: 50 });
    expect(partial.requests.partial).toBe(partial.requests.sent);
    expect(partial.data_points.rejected).toBe(10 * partial.requests.sent);
    expect(partial.errors).toEqual([{ message: 'rejected by fake', count: partial.requests.sent }]);
    receiver.behaviour.fail = true;
    const failed = await runReplay({ series: 100, rate: 1000, durationSeconds: 0.3, protocol: 'http', endpoint: receiver.httpUrl, batchSize: 50 });
    expect(failed.requests.failed).toBe(failed.requests.sent);
    expect(failed.data_points.accepted).toBe(0);
    expect(failed.errors).toEqual([{ message: 'HTTP 503', count: failed.requests.sent }]);
  });

  test('a receiver that is not there is reported, not thrown', async () => {
    const report = await runReplay({ series: 10, rate: 100, durationSeconds: 0.2, protocol: 'http', endpoint: 'http://127.0.0.1:1', timeoutMs: 500 });
    expect(report.requests.failed).toBeGreaterThan(0);
    expect(report.achieved_rate).toBe(0);
  });
});

describe('replay CLI arguments', () => {
  test('parses flags and applies protocol-specific default endpoints', () => {
    expect(parseReplayArgs(['--series', '1000', '--rate', '50000', '--duration', '10', '--protocol', 'http'])).toMatchObject({
      series: 1000,
      rate: 50000,
      durationSeconds: 10,
      protocol: 'http',
      endpoint: 'http://127.0.0.1:4318/v1/metrics',
    });
    expect(parseReplayArgs(['--series', '1', '--rate', '1', '--duration', '1']).endpoint).toBe('http://127.0.0.1:4317');
    expect(parseReplayArgs(['--series', '1', '--rate', '1', '--duration', '1', '--header', 'Authorization=Bearer x']).headers).toEqual({ authorization: 'Bearer x' });
  });

  test('rejects bad values naming the flag', () => {
    expect(() => parseReplayArgs(['--series', '0', '--rate', '1', '--duration', '1'])).toThrow(/--series: must be an integer in 1\.\.100000000/);
    expect(() => parseReplayArgs(['--series', '1', '--rate', '1', '--duration', '1', '--protocol', 'udp'])).toThrow(/--protocol: must be http or grpc/);
    expect(() => parseReplayArgs(['--rate', '1', '--duration', '1'])).toThrow(/--series is required/);
  });

  test('replayHttpUrl adds /v1/metrics to a bare origin only', () => {
    expect(replayHttpUrl('http://h:4318')).toBe('http://h:4318/v1/metrics');
    expect(replayHttpUrl('http://h:4318/custom')).toBe('http://h:4318/custom');
  });
});
