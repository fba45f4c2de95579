import pg from 'pg';
import { createLogLimiter, type Clock, type Logger, type LogLimiter, type TimerHandle } from '@phoenix/runtime';
import { Periodic } from '../periodic';
import { ChannelHandlers } from './channels';

export interface PgListenerOptions {
  clock: Clock;
  log: Logger;
  /** longest wait between reconnect attempts */
  reconnectMaxMs: number;
  /** how often the connection is pinged (a dead socket is noticed even without traffic) */
  pingIntervalMs: number;
}

/**
 * The one LISTEN connection of a phoenix-api process: every channel is listened on it, notifications are
 * dispatched to the subscribers in process. When it is lost it reconnects by itself (backoff 250 ms doubling
 * to `reconnectMaxMs`), listens again, and then calls the reconnect handlers: notifications sent while it
 * was away are gone, so waiters must look again.
 */
export class PgNotificationListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private attempt = 0;
  private reconnectTimer: TimerHandle | undefined;
  private readonly ping: Periodic;
  private readonly handlers = new ChannelHandlers();
  private readonly reconnectHandlers = new Set<() => void>();
  private readonly limited: LogLimiter;

  constructor(
    private readonly clientConfig: pg.ClientConfig,
    private readonly o: PgListenerOptions,
  ) {
    this.limited = createLogLimiter(o.log, { clock: o.clock, first: 5, intervalMs: 60_000 });
    this.ping = new Periodic(o.clock, o.pingIntervalMs, async () => {
      const client = this.client;
      if (!client) return;
      try {
        await client.query('SELECT 1');
      } catch (err) {
        this.lost(client, err as Error);
      }
    });
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  /** Opens the connection; rejects when the database cannot be reached. */
  async start(): Promise<void> {
    await this.connect();
    this.ping.start();
  }

  async listen(channel: string, fn: (payload: string) => void): Promise<() => void> {
    const sub = this.handlers.add(channel, fn);
    if (sub.first && this.client) await this.client.query(`LISTEN ${channel}`);
    return sub.remove;
  }

  onReconnect(fn: () => void): () => void {
    this.reconnectHandlers.add(fn);
    return () => this.reconnectHandlers.delete(fn);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) this.o.clock.clearTimeout(this.reconnectTimer);
    this.ping.stop();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.clientConfig);
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', (n) => this.dispatch(n.channel, n.payload ?? ''));
    try {
      await client.connect();
      for (const channel of this.handlers.channels()) await client.query(`LISTEN ${channel}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private dispatch(channel: string, payload: string): void {
    this.handlers.dispatch(channel, payload, (err) => this.limited.error('notify-handler', 'notification handler failed', { channel, err }));
  }

  private lost(client: pg.Client, err?: Error): void {
    if (client !== this.client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.limited.warn('lost', 'notification connection lost; reconnecting', { err: err?.message ?? 'connection ended' });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.stopped) return;
    const delay = Math.min(this.o.reconnectMaxMs, 250 * 2 ** this.attempt);
    this.attempt += 1;
    this.reconnectTimer = this.o.clock.setTimeout(async () => {
      this.reconnectTimer = undefined;
      try {
        await this.connect();
      } catch (err) {
        this.limited.warn('reconnect', 'notification connection: reconnect failed', { err: (err as Error).message, attempt: this.attempt });
        this.scheduleReconnect();
        return;
      }
      if (this.stopped) return;
      this.attempt = 0;
      this.o.log.info('notification connection re-established', { channels: this.handlers.channels() });
      for (const fn of this.reconnectHandlers) {
        try {
          fn();
        } catch (e) {
          this.limited.error('reconnect-handler', 'reconnect handler failed', { err: e });
        }
      }
    }, delay);
  }
}
