import type http from 'node:http';
import { LifecycleGuard, listenHttp, type HttpListener, type Lifecycle, type LogFields, type Logger } from '@phoenix/runtime';

/** Where an endpoint listens; port 0 picks a free port. */
export interface EndpointAddress {
  host: string;
  port: number;
}

/**
 * One HTTP listener of the core (OTLP/HTTP receiver, Prometheus exporters, observatory, health)
 * as a Lifecycle component: start() listens through the runtime's listenHttp and logs
 * `<name> listening`, stop() closes it (busy connections after the runtime's grace period).
 * Subclasses answer the requests in handle().
 */
export abstract class HttpEndpoint implements Lifecycle {
  private listener: HttpListener | undefined;
  private readonly lifecycle: LifecycleGuard;
  private readonly configuredPort: number;

  constructor(name: string, address: EndpointAddress, log: Logger, fields: LogFields = {}) {
    this.configuredPort = address.port;
    this.lifecycle = new LifecycleGuard(
      name,
      async () => {
        this.listener = await listenHttp((req, res) => this.handle(req, res), { port: address.port, bindAddress: address.host });
        log.info(`${name} listening`, { host: address.host, port: this.listener.port, ...fields });
      },
      async () => {
        await this.listener?.stop();
      },
    );
  }

  /** Answers one request. */
  protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse): void;

  /** The bound port once started (the configured one before). */
  get port(): number {
    return this.listener?.port ?? this.configuredPort;
  }

  start(): Promise<void> {
    return this.lifecycle.start();
  }

  stop(): Promise<void> {
    return this.lifecycle.stop();
  }
}
