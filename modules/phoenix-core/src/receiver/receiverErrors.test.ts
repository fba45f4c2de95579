/**
 * Errors classified once (OTLP specification, Collector): input the client sent that cannot be
 * processed is permanent (HTTP 400 / INVALID_ARGUMENT); anything the client did not cause is
 * retryable (HTTP 503 with Retry-After / UNAVAILABLE). Both counted by reason.
 */
import * as grpc from '@grpc/grpc-js';
import { memoryLogger, UnavailableError } from '@phoenix/runtime';
import { decodeStatus, encodeExportRequest } from '@phoenix/testkit';
import { Registry } from 'prom-client';
import { grpcClient, grpcExport, type OtlpGrpcClient } from '../../test/grpcClient';
import { gauge, request } from '../../test/otlpFixtures';
import type { IngestResult, MetricsConsumer, OtlpSink } from '../consumer/metricsConsumer';
import { ReceiverTelemetry } from '../telemetry/receiverTelemetry';
import { consumerSink } from './consumerSink';
import { OtlpGrpcReceiver } from './otlpgrpc/otlpGrpcReceiver';
import { OtlpHttpReceiver } from './otlphttp/otlpHttpReceiver';

const PROTO = 'application/x-protobuf';
const TYPE_ERROR = "Cannot read properties of undefined (reading 'onUpdate')";
const body = Buffer.from(encodeExportRequest(request('h1', [gauge('g', [{ value: 1 }])])));
const json = JSON.stringify(request('h1', [gauge('g', [{ value: 1 }])]));

type Failure = 'none' | 'type_error' | 'unavailable';

describe.each(['synchronous', 'asynchronous'] as const)('receivers classify errors (%s sink)', (mode) => {
  let failure: Failure = 'none';
  const registry = new Registry();
  const log = memoryLogger();
  let http: OtlpHttpReceiver;
  let grpcReceiver: OtlpGrpcReceiver;
  let client: OtlpGrpcClient;

  const consumer: MetricsConsumer = {
    consume(): IngestResult {
      if (failure === 'type_error') throw new TypeError(TYPE_ERROR);
      if (failure === 'unavailable') throw new UnavailableError('shard 1 exited with code 1');
      return { accepted: 1, rejected: 0, reasons: {}, message: '' };
    },
  };
  const inner = consumerSink(consumer);
  // a sharded core answers with promises: the same errors arrive as rejections
  const sink: OtlpSink =
    mode === 'synchronous'
      ? inner
      : {
          ingestProtobuf: (b) => Promise.resolve().then(() => inner.ingestProtobuf(b)),
          ingestDecoded: (r) => Promise.resolve().then(() => inner.ingestDecoded(r)),
        };

  async function rejections(protocol: string, reason: string): Promise<number> {
    const m = await registry.getSingleMetric('phoenix_receiver_rejections_total')?.get();
    return m?.values.find((v) => v.labels.protocol === protocol && v.labels.reason === reason)?.value ?? 0;
  }

  async function post(type: string, payload: Buffer | string): Promise<{ status: number; retryAfter: string | null; code: number; message: string }> {
    const res = await fetch(`http://127.0.0.1:${http.port}/v1/metrics`, { method: 'POST', headers: { 'content-type': type }, body: payload });
    const bytes = Buffer.from(await res.arrayBuffer());
    const st = (type === PROTO ? decodeStatus(bytes) : JSON.parse(bytes.toString())) as { code?: number; message?: string };
    return { status: res.status, retryAfter: res.headers.get('retry-after'), code: st.code ?? 0, message: st.message ?? '' };
  }

  beforeAll(async () => {
    const telemetry = new ReceiverTelemetry(registry);
    http = new OtlpHttpReceiver({ host: '127.0.0.1', port: 0, path: '/v1/metrics', maxRequestBytes: 1 << 20 }, sink, telemetry, log);
    grpcReceiver = new OtlpGrpcReceiver({ host: '127.0.0.1', port: 0, maxRequestBytes: 1 << 20 }, sink, telemetry, log);
    await http.start();
    await grpcReceiver.start();
    client = grpcClient(grpcReceiver.port);
  });
  afterAll(async () => {
    client.close();
    await http.stop();
    await grpcReceiver.stop();
  });
  beforeEach(() => {
    failure = 'none';
    log.records.length = 0;
  });

  test('HTTP: an internal error (a TypeError in the sink) → 503 with Retry-After and UNAVAILABLE, counted as internal, logged with its stack', async () => {
    failure = 'type_error';
    expect(await post(PROTO, body)).toEqual({ status: 503, retryAfter: '1', code: 14, message: `internal error: ${TYPE_ERROR}` });
    expect(await post('application/json', json)).toEqual({ status: 503, retryAfter: '1', code: 14, message: `internal error: ${TYPE_ERROR}` });
    expect(await rejections('http', 'internal')).toBe(2);
    expect(log.records.filter((r) => r.level === 'error').map((r) => [r.msg, r.reason, r.status])).toEqual([
      ['OTLP/HTTP request failed inside the core', 'internal', 503],
      ['OTLP/HTTP request failed inside the core', 'internal', 503],
    ]);
    expect(String(log.records[0].stack)).toMatch(/^TypeError: Cannot read properties/);
  });

  test('HTTP: an unavailable core → 503 with Retry-After, counted as unavailable', async () => {
    failure = 'unavailable';
    expect(await post(PROTO, body)).toEqual({ status: 503, retryAfter: '1', code: 14, message: 'shard 1 exited with code 1' });
    expect(await rejections('http', 'unavailable')).toBe(1);
  });

  test('HTTP: a malformed body → 400 and INVALID_ARGUMENT without Retry-After, counted by encoding', async () => {
    const before = [await rejections('http', 'invalid_protobuf'), await rejections('http', 'invalid_json')];
    expect(await post(PROTO, Buffer.from([0x0a, 0x05, 0x01]))).toEqual({ status: 400, retryAfter: null, code: 3, message: 'truncated length-delimited field' });
    expect(await post('application/json', '{"resourceMetrics": {}}')).toEqual({ status: 400, retryAfter: null, code: 3, message: 'resourceMetrics: expected an array' });
    expect([await rejections('http', 'invalid_protobuf'), await rejections('http', 'invalid_json')]).toEqual([before[0] + 1, before[1] + 1]);
  });

  test('HTTP: a good body is accepted', async () => {
    expect((await fetch(`http://127.0.0.1:${http.port}/v1/metrics`, { method: 'POST', headers: { 'content-type': PROTO }, body })).status).toBe(200);
  });

  test('gRPC: an internal error → UNAVAILABLE (retried by clients), counted as internal', async () => {
    failure = 'type_error';
    const { err } = await grpcExport(client, body);
    expect([err?.code, err?.details]).toEqual([grpc.status.UNAVAILABLE, `internal error: ${TYPE_ERROR}`]);
    expect(await rejections('grpc', 'internal')).toBe(1);
  });

  test('gRPC: an unavailable core → UNAVAILABLE, counted as unavailable', async () => {
    failure = 'unavailable';
    const { err } = await grpcExport(client, body);
    expect([err?.code, err?.details]).toEqual([grpc.status.UNAVAILABLE, 'shard 1 exited with code 1']);
    expect(await rejections('grpc', 'unavailable')).toBe(1);
  });

  test('gRPC: malformed protobuf → INVALID_ARGUMENT, counted as invalid_protobuf', async () => {
    const before = await rejections('grpc', 'invalid_protobuf');
    const { err } = await grpcExport(client, Buffer.from([0x0a, 0x05, 0x01]));
    expect([err?.code, err?.details]).toEqual([grpc.status.INVALID_ARGUMENT, 'truncated length-delimited field']);
    expect(await rejections('grpc', 'invalid_protobuf')).toBe(before + 1);
  });
});
