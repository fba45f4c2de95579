import type http from 'node:http';
import zlib from 'node:zlib';
import { listenHttp, type HttpListener } from '../../exporter/httpListener';
import type { Logger } from '../../log';
import { decodeJsonRequest } from '../../otlp/decodeJsonRequest';
import {
  GrpcCode,
  encodeExportResponseJson,
  encodeExportResponseProto,
  encodeStatusJson,
  encodeStatusProto,
} from '../../otlp/encodeResponses';
import { CoreUnavailableError, OtlpDecodeError } from '../../otlp/model';
import type { IngestResult } from '../../store/seriesStore';
import type { Encoding, ReceiverTelemetry, RequestRejectReason } from '../../telemetry/receiverTelemetry';
import type { OtlpSink } from '../metricsConsumer';
import type { OtlpHttpReceiverConfig } from './config';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

/**
 * OTLP/HTTP metrics receiver: POST {path} with `application/x-protobuf` or `application/json`
 * bodies, optionally gzip-encoded. Answers as the OTLP spec says: 200 with an
 * ExportMetricsServiceResponse (partial_success when points were refused), 400 for malformed
 * bodies, 413 over the size limit, 415 for other media types, each error with a google.rpc.Status.
 */
export class OtlpHttpReceiver {
  private listener: HttpListener | undefined;
  private stopped = false;

  constructor(
    private readonly config: OtlpHttpReceiverConfig,
    private readonly next: OtlpSink,
    private readonly telemetry: ReceiverTelemetry,
    private readonly log: Logger,
  ) {}

  get port(): number {
    return this.listener?.port ?? this.config.port;
  }

  async start(): Promise<void> {
    this.listener = await listenHttp(this.config.host, this.config.port, (req, res) => this.handle(req, res));
    this.log.info('OTLP/HTTP receiver listening', { host: this.config.host, port: this.listener.port, path: this.config.path });
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.listener?.close();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
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

  /** Malformed input → 400; a core that cannot take the request now → 503 (the client retries). */
  private failed(res: http.ServerResponse, encoding: Encoding, err: unknown): void {
    if (err instanceof OtlpDecodeError) {
      this.reject(res, encoding, 400, encoding === 'json' ? 'invalid_json' : 'invalid_protobuf', err.message);
    } else if (err instanceof CoreUnavailableError) {
      this.reject(res, encoding, 503, 'unavailable', err.message);
    } else {
      this.reject(res, encoding, 400, encoding === 'json' ? 'invalid_json' : 'invalid_protobuf', `undecodable request: ${(err as Error).message}`);
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

  private reject(res: http.ServerResponse, encoding: Encoding, status: number, reason: RequestRejectReason, message: string): void {
    this.telemetry.rejectedRequest('http', encoding, reason);
    this.log.warn('OTLP/HTTP request rejected', { status, reason, message });
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
