import http from 'node:http';
import https from 'node:https';
import * as grpc from '@grpc/grpc-js';
import { decodeExportResponse, decodeStatusMessage } from '../otlp/decodeExportResponse';

/** What the receiver said about one request. */
export interface SendOutcome {
  ok: boolean;
  /** partial_success.rejected_data_points of a successful answer. */
  rejected: number;
  error?: string;
}

/** Sends encoded ExportMetricsServiceRequests. */
export interface ReplaySender {
  send(body: Buffer): Promise<SendOutcome>;
  close(): void;
}

const GRPC_EXPORT_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

/** OTLP/HTTP protobuf: POST `url` (…/v1/metrics) over keep-alive connections. */
export function createHttpSender(url: string, opts: { concurrency: number; timeoutMs: number; headers?: Record<string, string> }): ReplaySender {
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? https : http;
  const agent = new lib.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  return {
    send: (body) =>
      new Promise<SendOutcome>((resolve) => {
        const req = lib.request(
          target,
          {
            method: 'POST',
            agent,
            timeout: opts.timeoutMs,
            headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length, ...opts.headers },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const data = Buffer.concat(chunks);
              const status = res.statusCode ?? 0;
              if (status >= 200 && status < 300) {
                try {
                  const partial = data.length > 0 ? decodeExportResponse(data) : undefined;
                  resolve({ ok: true, rejected: partial?.rejectedDataPoints ?? 0, error: partial?.errorMessage || undefined });
                } catch (err) {
                  resolve({ ok: true, rejected: 0, error: `undecodable response: ${(err as Error).message}` });
                }
              } else {
                const msg = decodeStatusMessage(data);
                resolve({ ok: false, rejected: 0, error: `HTTP ${status}${msg ? `: ${msg}` : ''}` });
              }
            });
            res.on('error', (err) => resolve({ ok: false, rejected: 0, error: err.message }));
          },
        );
        req.on('timeout', () => req.destroy(new Error(`timeout after ${opts.timeoutMs} ms`)));
        req.on('error', (err) => resolve({ ok: false, rejected: 0, error: err.message }));
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}

/** OTLP/gRPC: unary MetricsService/Export calls on one channel (`endpoint` is http://host:port). */
export function createGrpcSender(endpoint: string, opts: { timeoutMs: number; metadata?: Record<string, string> }): ReplaySender {
  const u = new URL(endpoint);
  const address = `${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '4317')}`;
  const credentials = u.protocol === 'https:' ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
  const client = new grpc.Client(address, credentials, {
    'grpc.max_send_message_length': 64 * 1024 * 1024,
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
  });
  const identity = (b: Buffer): Buffer => b;
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(opts.metadata ?? {})) metadata.set(k, v);
  return {
    send: (body) =>
      new Promise<SendOutcome>((resolve) => {
        client.makeUnaryRequest<Buffer, Buffer>(
          GRPC_EXPORT_PATH,
          identity,
          identity,
          body,
          metadata,
          { deadline: Date.now() + opts.timeoutMs },
          (err, res) => {
            if (err) {
              resolve({ ok: false, rejected: 0, error: `gRPC ${grpc.status[err.code] ?? err.code}: ${err.details || err.message}` });
              return;
            }
            try {
              const partial = res && res.length > 0 ? decodeExportResponse(res) : undefined;
              resolve({ ok: true, rejected: partial?.rejectedDataPoints ?? 0, error: partial?.errorMessage || undefined });
            } catch (e) {
              resolve({ ok: true, rejected: 0, error: `undecodable response: ${(e as Error).message}` });
            }
          },
        );
      }),
    close: () => client.close(),
  };
}
