import { decodeExportRequest } from '@phoenix/testkit';
import { flattenExportRequest, seriesKey } from '../testing/fakeOtlpReceiver';
import { encodeReplayRequests, stampRequest } from './encodeReplayRequests';

describe('encodeReplayRequests', () => {
  const start = 1_767_225_600_000_000_000n;
  const requests = encodeReplayRequests({ series: 2500, batchSize: 1000, seriesPerHost: 600, startTimeUnixNano: start });

  test('splits N series into batches the reference protobuf decoder reads back as valid OTLP', () => {
    expect(requests.map((r) => r.points)).toEqual([1000, 1000, 500]);
    const all = requests.flatMap((r) => flattenExportRequest(decodeExportRequest(r.body)));
    expect(all.length).toBe(2500);
    expect(new Set(all.map(seriesKey)).size).toBe(2500);
    const hosts = new Set(all.map((p) => p.resource['host.name']));
    expect(hosts.size).toBe(5); // ceil(2500 / 600)
    const p = all[0];
    expect(p).toMatchObject({
      metric: 'process.cpu.time',
      unit: 's',
      kind: 'sum',
      monotonic: true,
      temporality: 2,
      resource: { 'host.name': 'replay-host-0001', 'service.name': 'phoenix-replay' },
      attributes: { 'process.pid': 1000, 'process.executable.name': 'postgres', 'process.command_line': 'postgres replay-0', 'process.owner': 'postgres', state: 'user' },
      startTimeUnixNano: start.toString(),
    });
  });

  test('stamping patches every timestamp and value in a copy, leaving the template alone', () => {
    const req = requests[1];
    const stamped = stampRequest(req, start + 5_000_000_000n, 3);
    const pts = flattenExportRequest(decodeExportRequest(stamped));
    for (let i = 0; i < pts.length; i++) {
      expect(pts[i].timeUnixNano).toBe((start + 5_000_000_000n).toString());
      expect(pts[i].value).toBe(4 * req.increments[i]);
    }
    const original = flattenExportRequest(decodeExportRequest(req.body));
    expect(original.every((p) => p.value === 0 && p.timeUnixNano === start.toString())).toBe(true);
  });
});
