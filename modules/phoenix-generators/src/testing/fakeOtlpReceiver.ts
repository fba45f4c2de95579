import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { decodeExportRequest, encodeExportResponse } from '@phoenix/testkit';

/** A scalar attribute value as received. */
export type AttrValue = string | number | boolean;

/** One number data point as received, with its resource and metric. */
export interface ReceivedPoint {
  resource: Record<string, AttrValue>;
  metric: string;
  unit: string;
  kind: 'sum' | 'gauge';
  monotonic: boolean;
  temporality: number;
  attributes: Record<string, AttrValue>;
  value: number;
  startTimeUnixNano: string;
  timeUnixNano: string;
}

/** One export request as received. */
export interface ReceivedRequest {
  protocol: 'grpc' | 'http/protobuf' | 'http/json';
  points: ReceivedPoint[];
}

/** How the fake answers. */
export interface FakeBehaviour {
  /** Fail every request (gRPC UNAVAILABLE / HTTP 503). */
  fail: boolean;
  /** Report this many rejected points in partial_success (when not failing). */
  rejectPoints: number;
}

/**
 * A test OTLP metrics receiver (gRPC and HTTP protobuf/JSON) that decodes requests with the protobufjs
 * reference codec of @phoenix/testkit and keeps every point, so tests can compare what the SDK sent with the model.
 */
export interface FakeOtlpReceiver {
  grpcUrl: string;
  httpUrl: string;
  requests: ReceivedRequest[];
  behaviour: FakeBehaviour;
  /** The latest point of every series (metric + resource + attributes). */
  latest(): Map<string, ReceivedPoint>;
  /** Waits until `n` requests have arrived in total. */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
type KeyValue = { key: string; value?: AnyValue };
type NumberPoint = { attributes?: KeyValue[]; startTimeUnixNano?: string | number; timeUnixNano?: string | number; asDouble?: number; asInt?: string | number };
type Metric = {
  name: string;
  unit?: string;
  sum?: { dataPoints?: NumberPoint[]; aggregationTemporality?: number; isMonotonic?: boolean };
  gauge?: { dataPoints?: NumberPoint[] };
};
type ExportRequest = { resourceMetrics?: { resource?: { attributes?: KeyValue[] }; scopeMetrics?: { metrics?: Metric[] }[] }[] };

function attrs(kvs: KeyValue[] | undefined): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const kv of kvs ?? []) {
    const v = kv.value ?? {};
    if (v.stringValue !== undefined) out[kv.key] = v.stringValue;
    else if (v.intValue !== undefined) out[kv.key] = Number(v.intValue);
    else if (v.doubleValue !== undefined) out[kv.key] = v.doubleValue;
    else if (v.boolValue !== undefined) out[kv.key] = v.boolValue;
  }
  return out;
}

/** Flattens a decoded (camelCase) ExportMetricsServiceRequest into points. */
export function flattenExportRequest(req: ExportRequest): ReceivedPoint[] {
  const out: ReceivedPoint[] = [];
  for (const rm of req.resourceMetrics ?? []) {
    const resource = attrs(rm.resource?.attributes);
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        const data = m.sum ?? m.gauge;
        for (const dp of data?.dataPoints ?? []) {
          out.push({
            resource,
            metric: m.name,
            unit: m.unit ?? '',
            kind: m.sum ? 'sum' : 'gauge',
            monotonic: m.sum?.isMonotonic ?? false,
            temporality: m.sum?.aggregationTemporality ?? 0,
            attributes: attrs(dp.attributes),
            value: dp.asDouble !== undefined ? dp.asDouble : Number(dp.asInt ?? 0),
            startTimeUnixNano: String(dp.startTimeUnixNano ?? '0'),
            timeUnixNano: String(dp.timeUnixNano ?? '0'),
          });
        }
      }
    }
  }
  return out;
}

/** The identity of a received series. */
export function seriesKey(p: Pick<ReceivedPoint, 'metric' | 'resource' | 'attributes'>): string {
  const sorted = (o: Record<string, AttrValue>): string => JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
  return `${p.metric}|${sorted(p.resource)}|${sorted(p.attributes)}`;
}

const GRPC_SERVICE = {
  Export: {
    path: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  },
};

/** Starts a fake receiver on free loopback ports. */
export async function startFakeOtlpReceiver(): Promise<FakeOtlpReceiver> {
  const requests: ReceivedRequest[] = [];
  const behaviour: FakeBehaviour = { fail: false, rejectPoints: 0 };
  let waiters: { n: number; resolve: () => void }[] = [];
  const record = (r: ReceivedRequest): void => {
    requests.push(r);
    waiters = waiters.filter((w) => {
      if (requests.length >= w.n) w.resolve();
      return requests.length < w.n;
    });
  };
  const response = (): Buffer =>
    Buffer.from(behaviour.rejectPoints > 0 ? encodeExportResponse({ partialSuccess: { rejectedDataPoints: behaviour.rejectPoints, errorMessage: 'rejected by fake' } }) : encodeExportResponse({}));

  const server = new grpc.Server();
  server.addService(GRPC_SERVICE as unknown as grpc.ServiceDefinition, {
    Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
      if (behaviour.fail) {
        cb({ code: grpc.status.UNAVAILABLE, details: 'fake receiver failing' });
        return;
      }
      try {
        record({ protocol: 'grpc', points: flattenExportRequest(decodeExportRequest(call.request) as ExportRequest) });
        cb(null, response());
      } catch (err) {
        cb({ code: grpc.status.INVALID_ARGUMENT, details: (err as Error).message });
      }
    },
  });
  const grpcPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
  );

  const httpServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url !== '/v1/metrics' || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      if (behaviour.fail) {
        res.writeHead(503).end();
        return;
      }
      const body = Buffer.concat(chunks);
      try {
        const json = (req.headers['content-type'] ?? '').includes('json');
        const decoded = json ? (JSON.parse(body.toString('utf8')) as ExportRequest) : (decodeExportRequest(body) as ExportRequest);
        record({ protocol: json ? 'http/json' : 'http/protobuf', points: flattenExportRequest(decoded) });
        if (json) {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(
            JSON.stringify(behaviour.rejectPoints > 0 ? { partialSuccess: { rejectedDataPoints: behaviour.rejectPoints } } : {}),
          );
        } else {
          res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end(response());
        }
      } catch (err) {
        res.writeHead(400).end((err as Error).message);
      }
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const httpPort = (httpServer.address() as AddressInfo).port;

  return {
    grpcUrl: `http://127.0.0.1:${grpcPort}`,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    requests,
    behaviour,
    latest() {
      const out = new Map<string, ReceivedPoint>();
      for (const r of requests) for (const p of r.points) out.set(seriesKey(p), p);
      return out;
    },
    waitForRequests(n, timeoutMs = 10_000) {
      if (requests.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${n} requests (got ${requests.length})`)), timeoutMs);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async close() {
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      server.forceShutdown();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
