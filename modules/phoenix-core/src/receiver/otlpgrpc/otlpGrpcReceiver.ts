import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../log';
import { encodeExportResponseProto } from '../../otlp/encodeResponses';
import { CoreUnavailableError, OtlpDecodeError } from '../../otlp/model';
import type { IngestResult } from '../../store/seriesStore';
import type { ReceiverTelemetry } from '../../telemetry/receiverTelemetry';
import type { OtlpSink } from '../metricsConsumer';
import type { OtlpGrpcReceiverConfig } from './config';

const EXPORT_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

const identity = (b: Buffer): Buffer => b;

/** The MetricsService definition with raw-bytes (de)serializers: decoding is ours, so errors map to INVALID_ARGUMENT. */
const metricsService: grpc.ServiceDefinition = {
  Export: {
    path: EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * OTLP/gRPC metrics receiver (opentelemetry.proto.collector.metrics.v1.MetricsService/Export).
 * gzip-compressed messages are handled by grpc-js. Malformed protobuf → INVALID_ARGUMENT;
 * a message over the size limit → RESOURCE_EXHAUSTED (counted; beyond 4× the limit grpc-js itself refuses it
 * before Phoenix sees it, uncounted, which bounds memory).
 */
export class OtlpGrpcReceiver {
  private server: grpc.Server | undefined;
  private boundPort = 0;
  private stopped = false;

  constructor(
    private readonly config: OtlpGrpcReceiverConfig,
    private readonly next: OtlpSink,
    private readonly telemetry: ReceiverTelemetry,
    private readonly log: Logger,
  ) {}

  get port(): number {
    return this.boundPort || this.config.port;
  }

  async start(): Promise<void> {
    // grpc-js refuses messages over its own limit before any handler or interceptor sees them,
    // so it gets a backstop of 4× the configured limit and the handler enforces the exact limit
    // itself, where the refusal is counted.
    const server = new grpc.Server({
      'grpc.max_receive_message_length': this.config.maxRequestBytes * 4,
      'grpc.max_send_message_length': 4 * 1024 * 1024,
    });
    server.addService(metricsService, { Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => this.export(call, cb) });
    this.boundPort = await new Promise<number>((resolve, reject) => {
      server.bindAsync(hostPort(this.config.host, this.config.port), grpc.ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(err) : resolve(port),
      );
    });
    this.server = server;
    this.log.info('OTLP/gRPC receiver listening', { host: this.config.host, port: this.boundPort });
  }

  private export(call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>): void {
    const started = process.hrtime.bigint();
    if (call.request.length > this.config.maxRequestBytes) {
      const msg = `message of ${call.request.length} bytes exceeds the limit of ${this.config.maxRequestBytes} bytes`;
      this.telemetry.rejectedRequest('grpc', 'protobuf', 'too_large');
      this.log.warn('OTLP/gRPC request rejected', { code: 'RESOURCE_EXHAUSTED', message: msg });
      cb({ code: grpc.status.RESOURCE_EXHAUSTED, details: msg });
      return;
    }
    let result: IngestResult | Promise<IngestResult>;
    try {
      result = this.next.ingestProtobuf(call.request);
    } catch (err) {
      this.failed(cb, err);
      return;
    }
    const done = (r: IngestResult): void => {
      this.telemetry.ingested('grpc', 'protobuf', r);
      const partial = r.rejected > 0 ? { rejectedDataPoints: r.rejected, errorMessage: r.message } : undefined;
      cb(null, encodeExportResponseProto(partial));
      this.telemetry.duration.observe({ protocol: 'grpc' }, Number(process.hrtime.bigint() - started) / 1e9);
    };
    if (result instanceof Promise) result.then(done, (err: unknown) => this.failed(cb, err));
    else done(result);
  }

  /** Malformed input → INVALID_ARGUMENT; a core that cannot take the request now → UNAVAILABLE (retried). */
  private failed(cb: grpc.sendUnaryData<Buffer>, err: unknown): void {
    const unavailable = err instanceof CoreUnavailableError;
    const msg = err instanceof OtlpDecodeError || unavailable ? err.message : `undecodable request: ${(err as Error).message}`;
    this.telemetry.rejectedRequest('grpc', 'protobuf', unavailable ? 'unavailable' : 'invalid_protobuf');
    const code = unavailable ? grpc.status.UNAVAILABLE : grpc.status.INVALID_ARGUMENT;
    this.log.warn('OTLP/gRPC request rejected', { code: grpc.status[code], message: msg });
    cb({ code, details: msg });
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, 2000);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
