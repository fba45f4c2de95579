import * as grpc from '@grpc/grpc-js';
import { classifyError, createLogLimiter, GuardedLifecycle, systemClock, type Clock, type Logger, type LogLimiter } from '@phoenix/runtime';
import type { IngestResult, OtlpSink } from '../../consumer/metricsConsumer';
import { encodeExportResponseProto } from '../../otlp/encodeResponses';
import type { ReceiverTelemetry, RequestRejectReason } from '../../telemetry/receiverTelemetry';
import type { OtlpGrpcReceiverConfig } from './config';

const EXPORT_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

const identity = (b: Buffer): Buffer => b;

/** The MetricsService definition with raw-bytes (de)serializers: decoding is ours, so errors map to INVALID_ARGUMENT. */
export const METRICS_SERVICE: grpc.ServiceDefinition = {
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
 * gzip-compressed messages are handled by grpc-js. Malformed protobuf → INVALID_ARGUMENT
 * (permanent); a message over the size limit → RESOURCE_EXHAUSTED (counted; beyond 4× the limit
 * grpc-js itself refuses it before Phoenix sees it, uncounted, which bounds memory); anything the
 * client did not cause (an unavailable shard, an internal error) → UNAVAILABLE, which clients retry.
 */
export class OtlpGrpcReceiver extends GuardedLifecycle {
  private server: grpc.Server | undefined;
  private boundPort = 0;
  private readonly rejections: LogLimiter;

  constructor(
    private readonly config: OtlpGrpcReceiverConfig,
    private readonly next: OtlpSink,
    private readonly telemetry: ReceiverTelemetry,
    private readonly log: Logger,
    clock: Clock = systemClock,
  ) {
    super('the OTLP/gRPC receiver');
    this.rejections = createLogLimiter(log, { clock });
  }

  get port(): number {
    return this.boundPort || this.config.port;
  }

  protected async doStart(): Promise<void> {
    // grpc-js refuses messages over its own limit before any handler or interceptor sees them,
    // so it gets a backstop of 4× the configured limit and the handler enforces the exact limit
    // itself, where the refusal is counted.
    const server = new grpc.Server({
      'grpc.max_receive_message_length': this.config.maxRequestBytes * 4,
      'grpc.max_send_message_length': 4 * 1024 * 1024,
    });
    server.addService(METRICS_SERVICE, { Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => this.export(call, cb) });
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
      this.reject(cb, grpc.status.RESOURCE_EXHAUSTED, 'too_large', msg);
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

  /** Malformed input (an InvalidInputError) → INVALID_ARGUMENT; anything else → UNAVAILABLE (retried). */
  private failed(cb: grpc.sendUnaryData<Buffer>, err: unknown): void {
    const c = classifyError(err);
    if (c.kind === 'invalid_argument') this.reject(cb, grpc.status.INVALID_ARGUMENT, 'invalid_protobuf', c.message);
    else this.reject(cb, grpc.status.UNAVAILABLE, c.reason === 'internal' ? 'internal' : 'unavailable', c.message, err);
  }

  /** Counts and answers a refused call; `cause` (an internal error) is logged with its stack. */
  private reject(cb: grpc.sendUnaryData<Buffer>, code: grpc.status, reason: RequestRejectReason, message: string, cause?: unknown): void {
    this.telemetry.rejectedRequest('grpc', 'protobuf', reason);
    const fields = { code: grpc.status[code], reason, message };
    if (reason === 'internal') this.rejections.error(reason, 'OTLP/gRPC request failed inside the core', { ...fields, stack: (cause as Error | undefined)?.stack });
    else this.rejections.warn(reason, 'OTLP/gRPC request rejected', fields);
    cb({ code, details: message });
  }

  protected async doStop(): Promise<void> {
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
