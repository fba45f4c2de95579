/**
 * Malformed and refused input: every rejection answers with the protocol's own status, leaves
 * the process serving and the stored series intact, and is counted on the observatory.
 */
import * as grpc from '@grpc/grpc-js';
import zlib from 'node:zlib';
import { decodeExportResponse, decodeStatus, encodeExportRequest } from '@phoenix/testkit';
import { parseExposition, sampleValue } from '@phoenix/runtime';
import type { CoreService } from '../src/service/coreService';
import { grpcClient, grpcExport, type OtlpGrpcClient } from './grpcClient';
import { counter, gauge, request } from './otlpFixtures';
import { scrape, startCore } from './startCore';

const PROTO = 'application/x-protobuf';
const LIMIT = 64 * 1024;

describe('bad input', () => {
  let core: CoreService;
  let url: (w: 'fullFidelity' | 'observatory' | 'otlpHttp') => string;
  let client: OtlpGrpcClient;
  const good = Buffer.from(encodeExportRequest(request('keep', [gauge('kept.value', [{ value: 42 }])])));

  beforeAll(async () => {
    const s = await startCore((c) => {
      c.maxRequestBytes = LIMIT;
    });
    core = s.core;
    url = s.url;
    client = grpcClient(core.front.grpc.port);
    const res = await fetch(url('otlpHttp'), { method: 'POST', headers: { 'content-type': PROTO }, body: good });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    client.close();
    await core.stop();
  });

  async function stillServing(): Promise<void> {
    const exp = parseExposition(await scrape(url('fullFidelity')), { strict: true });
    expect(sampleValue(exp, 'kept_value', { host_name: 'keep' })).toBe(42);
    expect((await fetch(url('fullFidelity').replace(/:\d+\/metrics/, `:${core.front.health.port}/health`))).status).toBe(200);
  }

  async function counted(name: string, labels: Record<string, string>): Promise<number> {
    const exp = parseExposition(await scrape(url('observatory')), { strict: true });
    const found = exp.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    return found?.value ?? 0;
  }

  const httpCases: Array<[string, number, string, { body: Buffer; type: string; encoding?: string }, number]> = [
    ['garbage protobuf', 400, 'invalid_protobuf', { body: Buffer.from('this is not protobuf \u00ff\u00fe'), type: PROTO }, 3],
    ['truncated protobuf', 400, 'invalid_protobuf', { body: good.subarray(0, good.length - 7), type: PROTO }, 3],
    ['invalid JSON', 400, 'invalid_json', { body: Buffer.from('{"resourceMetrics": [ {'), type: 'application/json' }, 3],
    ['JSON of the wrong shape', 400, 'invalid_json', { body: Buffer.from('{"resourceMetrics": {"not": "an array"}}'), type: 'application/json' }, 3],
    ['wrong content type', 415, 'unsupported_media_type', { body: Buffer.from('x'), type: 'text/plain' }, 3],
    ['a body over the limit', 413, 'too_large', { body: Buffer.alloc(LIMIT + 1), type: PROTO }, 8],
    ['a gzip body over the limit once decompressed', 413, 'too_large', { body: zlib.gzipSync(Buffer.alloc(LIMIT * 4)), type: PROTO, encoding: 'gzip' }, 8],
    ['a broken gzip body', 400, 'invalid_encoding', { body: Buffer.from('not gzip at all'), type: PROTO, encoding: 'gzip' }, 3],
  ];

  test.each(httpCases)('HTTP: %s → %d, counted as %s', async (_name, status, reason, input, grpcCode) => {
    const before = await counted('phoenix_receiver_rejections_total', { protocol: 'http', reason });
    const headers: Record<string, string> = { 'content-type': input.type };
    if (input.encoding) headers['content-encoding'] = input.encoding;
    const res = await fetch(url('otlpHttp'), { method: 'POST', headers, body: input.body });
    expect(res.status).toBe(status);
    const body = Buffer.from(await res.arrayBuffer());
    if (res.headers.get('content-type') === PROTO) {
      const st = decodeStatus(body);
      expect(st.code).toBe(grpcCode);
      expect(typeof st.message).toBe('string');
    } else {
      const st = JSON.parse(body.toString()) as { code: number; message: string };
      expect(st.code).toBe(grpcCode);
      expect(st.message.length).toBeGreaterThan(5);
    }
    expect(await counted('phoenix_receiver_rejections_total', { protocol: 'http', reason })).toBe(before + 1);
    await stillServing();
  });

  test('gRPC: garbage and truncated protobuf → INVALID_ARGUMENT, counted', async () => {
    const before = await counted('phoenix_receiver_rejections_total', { protocol: 'grpc', reason: 'invalid_protobuf' });
    for (const body of [Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]), good.subarray(0, good.length - 3)]) {
      const { err } = await grpcExport(client, body);
      expect(err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    }
    expect(await counted('phoenix_receiver_rejections_total', { protocol: 'grpc', reason: 'invalid_protobuf' })).toBe(before + 2);
    await stillServing();
  });

  test('gRPC: a message over the limit → RESOURCE_EXHAUSTED, counted', async () => {
    const before = await counted('phoenix_receiver_rejections_total', { protocol: 'grpc', reason: 'too_large' });
    const { err } = await grpcExport(client, Buffer.alloc(LIMIT + 10));
    expect(err?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(await counted('phoenix_receiver_rejections_total', { protocol: 'grpc', reason: 'too_large' })).toBe(before + 1);
    await stillServing();
  });

  test('gRPC and HTTP: refused points come back as partial_success with the count and a message', async () => {
    const body = request('partial', [
      gauge('ok.gauge', [{ value: 1 }, { value: 2, attrs: { a: 'b' } }]),
      // sum without aggregation temporality: refused
      { name: 'no.temporality', sum: { isMonotonic: true, dataPoints: [{ asDouble: 1 }, { asDouble: 2 }] } },
      // monotonic counter with a negative value: refused
      counter('negative.counter', [{ value: -5 }]),
      // histogram whose buckets don't match its bounds: refused
      { name: 'bad.hist', histogram: { aggregationTemporality: 2, dataPoints: [{ count: '3', bucketCounts: ['1', '2'], explicitBounds: [1, 2, 3] }] } },
    ]);
    const pb = Buffer.from(encodeExportRequest(body));
    const { err, res } = await grpcExport(client, pb);
    expect(err).toBeNull();
    const decoded = decodeExportResponse(res ?? Buffer.alloc(0)) as { partialSuccess?: { rejectedDataPoints?: string; errorMessage?: string } };
    expect(decoded.partialSuccess?.rejectedDataPoints).toBe('4');
    expect(decoded.partialSuccess?.errorMessage).toMatch(/no\.temporality.*temporality is unspecified/);
    expect(decoded.partialSuccess?.errorMessage).toMatch(/bad\.hist/);

    const httpRes = await fetch(url('otlpHttp'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(httpRes.status).toBe(200);
    const json = (await httpRes.json()) as { partialSuccess: { rejectedDataPoints: string; errorMessage: string } };
    expect(json.partialSuccess.rejectedDataPoints).toBe('4');
    expect(json.partialSuccess.errorMessage).toContain('negative.counter');

    const exp = parseExposition(await scrape(url('fullFidelity')), { strict: true });
    expect(sampleValue(exp, 'ok_gauge', { host_name: 'partial', a: 'b' })).toBe(2);
    expect(await counted('phoenix_receiver_rejected_data_points_total', { protocol: 'grpc', reason: 'invalid_point' })).toBe(4);
    expect(await counted('phoenix_receiver_rejected_data_points_total', { protocol: 'http', reason: 'invalid_point' })).toBe(4);
    expect(await counted('phoenix_receiver_requests_total', { protocol: 'grpc', encoding: 'protobuf', outcome: 'partial' })).toBe(1);
  });

  test('a metric whose name collides with an existing family of another type is refused as type_conflict', async () => {
    await fetch(url('otlpHttp'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request('tc', [gauge('clash', [{ value: 1 }])])) });
    const res = await fetch(url('otlpHttp'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request('tc', [counter('clash', [{ value: 3 }], { monotonic: false })])),
    });
    // a non-monotonic sum is a gauge too, so it is accepted into the same family
    expect((await res.json()) as object).toEqual({});
    const res2 = await fetch(url('otlpHttp'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request('tc', [{ name: 'clash', summary: { dataPoints: [{ count: '1', sum: 1 }] } }])),
    });
    const j = (await res2.json()) as { partialSuccess: { rejectedDataPoints: string; errorMessage: string } };
    expect(j.partialSuccess.rejectedDataPoints).toBe('1');
    expect(j.partialSuccess.errorMessage).toContain('already exists as a gauge');
  });
});
