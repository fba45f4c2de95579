import type http from 'node:http';
import { LifecycleGuard, listenHttp, type HttpListener, type Lifecycle, type LogFields, type Logger } from '@phoenix/runtime';

/** Where an endpoint listens; port 0 picks a free port. */
export interface EndpointAddress {
  host: string;
  port: number;
}

/**
 * One HTTP listener of the core (receiver, exporter, observatory, health) as a Lifecycle
 * component: start() listens through the runtime's listenHttp and logs `<name> listening`,
 * stop() closes it (busy connections after the runtime's grace period).
 */
export class HttpEndpoint implements Lifecycle {
  private listener: HttpListener | undefined;
  private readonly lifecycle: LifecycleGuard;
  private readonly configuredPort: number;

  constructor(name: string, address: EndpointAddress, handler: http.RequestListener, log: Logger, fields: LogFields = {}) {
    this.lifecycle = new LifecycleGuard(
      name,
      async () => {
        this.listener = await listenHttp(handler, { port: address.port, bindAddress: address.host });
        log.info(`${name} listening`, { host: address.host, port: this.listener.port, ...fields });
      },
      async () => {
        await this.listener?.stop();
      },
    );
    this.configuredPort = address.port;
  }

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
