import { PROCESS_CATALOG } from '../catalog/processCatalog';
import { encodeMessage, type PbField, type PbMessage } from '../otlp/protobufWriter';

/** One pre-encoded ExportMetricsServiceRequest and where its timestamps and values sit. */
export interface ReplayRequest {
  body: Buffer;
  points: number;
  /** Byte offsets of each point's time_unix_nano (fixed64). */
  timeOffsets: Uint32Array;
  /** Byte offsets of each point's as_double. */
  valueOffsets: Uint32Array;
  /** Per-point value increment per round (the cumulative value is (round + 1) x this). */
  increments: Float64Array;
}

/** Layout of the replayed series. */
export interface ReplayLayout {
  series: number;
  batchSize: number;
  /** Series per simulated host (resource). */
  seriesPerHost: number;
  startTimeUnixNano: bigint;
}

/** A KeyValue as field `field` (Resource.attributes = 1, NumberDataPoint.attributes = 7). */
function kv(field: number, key: string, value: string | number): PbField {
  const any: PbMessage = typeof value === 'string' ? [{ f: 1, t: 'string', v: value }] : [{ f: 3, t: 'varint', v: value }];
  return { f: field, t: 'message', v: [{ f: 1, t: 'string', v: key }, { f: 2, t: 'message', v: any }] };
}

/**
 * Series `i` is host floor(i / seriesPerHost), process floor(j / 2), CPU state j % 2 (j = i mod seriesPerHost):
 * a `process.cpu.time` cumulative monotonic sum with the usual process attributes, executables cycling
 * through the catalog (all four priority classes). Requests hold `batchSize` consecutive series, one
 * ResourceMetrics per host they touch.
 */
export function encodeReplayRequests(layout: ReplayLayout): ReplayRequest[] {
  const { series, batchSize, seriesPerHost } = layout;
  const out: ReplayRequest[] = [];
  for (let first = 0; first < series; first += batchSize) {
    const last = Math.min(series, first + batchSize);
    const points = last - first;
    const timeOffsets = new Uint32Array(points);
    const valueOffsets = new Uint32Array(points);
    const increments = new Float64Array(points);
    const resourceMetrics: PbField[] = [];
    let k = 0;
    for (let i = first; i < last; ) {
      const host = Math.floor(i / seriesPerHost);
      const hostEnd = Math.min(last, (host + 1) * seriesPerHost);
      const dataPoints: PbField[] = [];
      for (; i < hostEnd; i++, k++) {
        const j = i % seriesPerHost;
        const proc = Math.floor(j / 2);
        const entry = PROCESS_CATALOG[proc % PROCESS_CATALOG.length];
        const idx = k;
        increments[idx] = 0.25 * (1 + (i % 13));
        dataPoints.push({
          f: 1,
          t: 'message',
          v: [
            kv(7, 'process.pid', 1000 + proc),
            kv(7, 'process.executable.name', entry.executable),
            kv(7, 'process.command_line', `${entry.executable} replay-${proc}`),
            kv(7, 'process.owner', entry.owner),
            kv(7, 'state', j % 2 === 0 ? 'user' : 'system'),
            { f: 2, t: 'fixed64', v: layout.startTimeUnixNano },
            { f: 3, t: 'fixed64', v: layout.startTimeUnixNano, mark: (o) => (timeOffsets[idx] = o) },
            { f: 4, t: 'double', v: 0, mark: (o) => (valueOffsets[idx] = o) },
          ],
        });
      }
      const metric: PbMessage = [
        { f: 1, t: 'string', v: 'process.cpu.time' },
        { f: 2, t: 'string', v: 'Total CPU seconds broken down by different CPU states.' },
        { f: 3, t: 'string', v: 's' },
        { f: 7, t: 'message', v: [...dataPoints, { f: 2, t: 'varint', v: 2 }, { f: 3, t: 'bool', v: true }] },
      ];
      resourceMetrics.push({
        f: 1,
        t: 'message',
        v: [
          { f: 1, t: 'message', v: [kv(1, 'host.name', `replay-host-${String(host + 1).padStart(4, '0')}`), kv(1, 'service.name', 'phoenix-replay')] },
          {
            f: 2,
            t: 'message',
            v: [
              { f: 1, t: 'message', v: [{ f: 1, t: 'string', v: 'phoenix-generators-replay' }] },
              { f: 2, t: 'message', v: metric },
            ],
          },
        ],
      });
    }
    const body = encodeMessage(resourceMetrics);
    out.push({ body, points, timeOffsets, valueOffsets, increments });
  }
  return out;
}

/** A copy of `req.body` with every point's time set to `timeUnixNano` and value to (round + 1) x increment. */
export function stampRequest(req: ReplayRequest, timeUnixNano: bigint, round: number): Buffer {
  const buf = Buffer.from(req.body);
  for (let i = 0; i < req.points; i++) {
    buf.writeBigUInt64LE(timeUnixNano, req.timeOffsets[i]);
    buf.writeDoubleLE((round + 1) * req.increments[i], req.valueOffsets[i]);
  }
  return buf;
}
