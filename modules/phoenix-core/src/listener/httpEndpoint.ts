import type http from 'node:http';
import { GuardedLifecycle, listenHttp, type HttpListener, type LogFields, type Logger } from '@phoenix/runtime';

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
export abstract class HttpEndpoint extends GuardedLifecycle {
  private listener: HttpListener | undefined;

  constructor(
    private readonly endpointName: string,
    private readonly address: EndpointAddress,
    private readonly endpointLog: Logger,
    private readonly logFields: LogFields = {},
  ) {
    super(endpointName);
  }

  /** Answers one request. */
  protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse): void;

  /** The bound port once started (the configured one before). */
  get port(): number {
    return this.listener?.port ?? this.address.port;
  }

  protected async doStart(): Promise<void> {
    this.listener = await listenHttp((req, res) => this.handle(req, res), { port: this.address.port, bindAddress: this.address.host });
    this.endpointLog.info(`${this.endpointName} listening`, { host: this.address.host, port: this.listener.port, ...this.logFields });
  }

  protected async doStop(): Promise<void> {
    await this.listener?.stop();
  }
}
