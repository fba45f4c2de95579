import * as grpc from '@grpc/grpc-js';
import { METRICS_SERVICE } from '../src/receiver/otlpgrpc/otlpGrpcReceiver';

/** A raw-bytes client of OTLP's MetricsService/Export (tests send hand-made and malformed bodies). */
export type OtlpGrpcClient = grpc.Client & { Export(req: Buffer, cb: (err: grpc.ServiceError | null, res?: Buffer) => void): void };

export function grpcClient(port: number): OtlpGrpcClient {
  const Ctor = grpc.makeGenericClientConstructor(METRICS_SERVICE, 'MetricsService');
  return new Ctor(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': 64 * 1024 * 1024 }) as unknown as OtlpGrpcClient;
}

/** One Export call: the error or the response bytes. */
export function grpcExport(client: OtlpGrpcClient, body: Buffer): Promise<{ err: grpc.ServiceError | null; res?: Buffer }> {
  return new Promise((resolve) => client.Export(body, (err, res) => resolve({ err, res })));
}
