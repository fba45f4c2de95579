import type http from 'node:http';
import zlib from 'node:zlib';
import { classifyError, createLogLimiter, systemClock, type Clock, type Logger, type LogLimiter } from '@phoenix/runtime';
import type { IngestResult, OtlpSink } from '../../consumer/metricsConsumer';
import { HttpEndpoint } from '../../listener/httpEndpoint';
import { decodeJsonRequest } from '../../otlp/decodeJsonRequest';
import {
  GrpcCode,
  encodeExportResponseJson,
  encodeExportResponseProto,
  encodeStatusJson,
  encodeStatusProto,
} from '../../otlp/encodeResponses';
import { OtlpDecodeError } from '../../otlp/model';
import type { Encoding, ReceiverTelemetry, RequestRejectReason } from '../../telemetry/receiverTelemetry';
import type { OtlpHttpReceiverConfig } from './config';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

/**
 * OTLP/HTTP metrics receiver: POST {path} with `application/x-protobuf` or `application/json`
 * bodies, optionally gzip-encoded. Answers as the OTLP spec says: 200 with an
 * ExportMetricsServiceResponse (partial_success when points were refused), 400 for malformed
 * bodies, 413 over the size limit, 415 for other media types, 503 with `Retry-After` when the core
 * cannot take the request (an internal error or an unavailable shard: the client retries), each
 * error with a google.rpc.Status. Every refusal is counted by reason; its log is rate-limited.
 */
export class OtlpHttpReceiver extends HttpEndpoint {
  private readonly rejections: LogLimiter;

  constructor(
    private readonly config: OtlpHttpReceiverConfig,
    private readonly next: OtlpSink,
    private readonly telemetry: ReceiverTelemetry,
    private readonly log: Logger,
    clock: Clock = systemClock,
  ) {
    super('OTLP/HTTP receiver', config, log, { path: config.path });
    this.rejections = createLogLimiter(log, { clock });
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== this.config.path) {
      this.drain(req);
      this.telemetry.rejectedRequest('http', 'unknown', 'not_found');
      this.sendStatus(res, 404, 'unknown', GrpcCode.INVALID_ARGUMENT, `not found: ${path} (metrics are accepted at ${this.config.path})`);
      return;
    }
    if (req.method !== 'POST') {
      this.drain(req);
      this.telemetry.rejectedRequest('http', 'unknown', 'method_not_allowed');
      res.setHeader('Allow', 'POST');
      this.sendStatus(res, 405, 'unknown', GrpcCode.INVALID_ARGUMENT, `method ${req.method ?? ''} not allowed; use POST`);
      return;
    }
    const ctype = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const encoding: Encoding = ctype === PROTOBUF ? 'protobuf' : ctype === JSON_TYPE ? 'json' : 'unknown';
    if (encoding === 'unknown') {
      this.drain(req);
      this.reject(res, encoding, 415, 'unsupported_media_type', `unsupported content type "${ctype}"; use ${PROTOBUF} or ${JSON_TYPE}`);
      return;
    }
    const cenc = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (cenc !== 'gzip' && cenc !== 'identity' && cenc !== '') {
      this.drain(req);
      this.reject(res, encoding, 415, 'unsupported_media_type', `unsupported content encoding "${cenc}"; use gzip or none`);
      return;
    }
    const max = this.config.maxRequestBytes;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      this.tooLarge(req, res, encoding, declared);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on('data', (chunk: Buffer) => {
      if (aborted) return;
      size += chunk.length;
      if (size > max) {
        aborted = true;
        this.tooLarge(req, res, encoding, size);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (err) => this.log.warn('OTLP/HTTP request stream error', { err }));
    req.on('end', () => {
      if (aborted) return;
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      if (cenc === 'gzip') {
        zlib.gunzip(body, { maxOutputLength: max }, (err, plain) => {
          if (err) {
            if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
              this.reject(res, encoding, 413, 'too_large', `decompressed body exceeds the limit of ${max} bytes`);
            } else this.reject(res, encoding, 400, 'invalid_encoding', `body is not valid gzip: ${err.message}`);
            return;
          }
          this.process(res, encoding, plain);
        });
      } else this.process(res, encoding, body);
    });
  }

  private process(res: http.ServerResponse, encoding: Encoding, body: Buffer): void {
    const started = process.hrtime.bigint();
    let result: IngestResult | Promise<IngestResult>;
    try {
      if (encoding === 'protobuf') result = this.next.ingestProtobuf(body);
      else {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch (err) {
          throw new OtlpDecodeError(`body is not valid JSON: ${(err as Error).message}`);
        }
        result = this.next.ingestDecoded(decodeJsonRequest(parsed));
      }
    } catch (err) {
      this.failed(res, encoding, err);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (r) => this.respond(res, encoding, r, started),
        (err: unknown) => this.failed(res, encoding, err),
      );
    } else this.respond(res, encoding, result, started);
  }

  private respond(res: http.ServerResponse, encoding: Encoding, result: IngestResult, started: bigint): void {
    this.telemetry.ingested('http', encoding, result);
    const partial = result.rejected > 0 ? { rejectedDataPoints: result.rejected, errorMessage: result.message } : undefined;
    const payload = encoding === 'protobuf' ? encodeExportResponseProto(partial) : encodeExportResponseJson(partial);
    res.writeHead(200, { 'Content-Type': encoding === 'protobuf' ? PROTOBUF : JSON_TYPE, 'Content-Length': Buffer.byteLength(payload) });
    res.end(payload);
    this.telemetry.duration.observe({ protocol: 'http' }, Number(process.hrtime.bigint() - started) / 1e9);
  }

  /**
   * Malformed input (an InvalidInputError) → 400, permanent; anything else the client did not cause
   * (an unavailable shard, an internal error) → 503 with Retry-After: the client retries.
   */
  private failed(res: http.ServerResponse, encoding: Encoding, err: unknown): void {
    const c = classifyError(err);
    if (c.kind === 'invalid_argument') {
      this.reject(res, encoding, 400, encoding === 'json' ? 'invalid_json' : 'invalid_protobuf', c.message);
    } else {
      if (!res.headersSent) res.setHeader('Retry-After', String(c.retryAfterSeconds));
      this.reject(res, encoding, 503, c.reason === 'internal' ? 'internal' : 'unavailable', c.message, err);
    }
  }

  private tooLarge(req: http.IncomingMessage, res: http.ServerResponse, encoding: Encoding, size: number): void {
    res.setHeader('Connection', 'close');
    this.reject(res, encoding, 413, 'too_large', `request body of ${size} bytes exceeds the limit of ${this.config.maxRequestBytes} bytes`);
    // stop reading: the connection closes after the response
    res.on('finish', () => req.destroy());
  }

  private drain(req: http.IncomingMessage): void {
    req.resume();
  }

  /** Counts and answers a refused request; `cause` (an internal error) is logged with its stack. */
  private reject(res: http.ServerResponse, encoding: Encoding, status: number, reason: RequestRejectReason, message: string, cause?: unknown): void {
    this.telemetry.rejectedRequest('http', encoding, reason);
    if (reason === 'internal') this.rejections.error(reason, 'OTLP/HTTP request failed inside the core', { status, reason, message, stack: (cause as Error | undefined)?.stack });
    else this.rejections.warn(reason, 'OTLP/HTTP request rejected', { status, reason, message });
    const code = status === 413 ? GrpcCode.RESOURCE_EXHAUSTED : status === 503 ? GrpcCode.UNAVAILABLE : GrpcCode.INVALID_ARGUMENT;
    this.sendStatus(res, status, encoding, code, message);
  }

  private sendStatus(res: http.ServerResponse, status: number, encoding: Encoding, code: number, message: string): void {
    if (res.headersSent) return;
    const proto = encoding === 'protobuf';
    const payload = proto ? encodeStatusProto(code, message) : encodeStatusJson(code, message);
    res.writeHead(status, { 'Content-Type': proto ? PROTOBUF : JSON_TYPE, 'Content-Length': Buffer.byteLength(payload) });
    res.end(payload);
  }
}
