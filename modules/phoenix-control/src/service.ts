import { collectDefaultMetrics, Registry } from 'prom-client';
import { startApi } from './api/server';
import { createLogger, LifecycleGuard, systemClock, type Clock, type HttpListener, type Lifecycle, type Logger } from '@phoenix/runtime';
import type { ControlServiceConfig } from './config';
import { ControlFileWriter } from './controlFileWriter/writer';
import { Controller } from './controller/controller';
import { HistoryStore } from './history/store';
import { Observer, type KpiSource } from './observer/observer';

export interface ControlServiceDeps {
  clock?: Clock;
  log?: Logger;
  /** Replaces the observer (tests). */
  kpis?: KpiSource;
  fetch?: typeof fetch;
  /** Adds the Node.js process metrics to the API's /metrics (default true). */
  processMetrics?: boolean;
}

/** phoenix-control: observer -> controller (actuator, writer, history) -> API, started and stopped as one. */
export class ControlService implements Lifecycle {
  readonly controller: Controller;
  /** Undefined when a KPI source was injected (no observer). */
  readonly observer: Observer | undefined;
  readonly writer: ControlFileWriter;
  readonly history: HistoryStore;
  private api: HttpListener | undefined;
  private readonly lifecycle: LifecycleGuard;
  private readonly registry: Registry;
  private readonly log: Logger;

  constructor(
    private readonly config: ControlServiceConfig,
    deps: ControlServiceDeps = {},
  ) {
    const clock = deps.clock ?? systemClock;
    this.log = deps.log ?? createLogger({ level: config.logLevel, fields: { service: 'phoenix-control' } });
    this.registry = new Registry();
    if (deps.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.history = HistoryStore.open(config.history, this.log.child({ component: 'history' }));
    this.writer = new ControlFileWriter(config.controlFile, clock, this.log.child({ component: 'controlFileWriter' }));
    let kpis = deps.kpis;
    if (!kpis) {
      this.observer = new Observer(config.observer, clock, this.log.child({ component: 'observer' }), new Registry(), deps.fetch);
      kpis = this.observer;
    }
    this.controller = new Controller({
      config: config.controller,
      actuator: config.actuator,
      clock,
      log: this.log.child({ component: 'actuator' }),
      kpis,
      writer: this.writer,
      history: this.history,
      registry: this.registry,
    });
    this.lifecycle = new LifecycleGuard('phoenix-control', () => this.doStart(), () => this.doStop());
  }

  /** The control API's port (after start). */
  get apiPort(): number {
    return this.api?.port ?? 0;
  }

  /** The observer's port (after start); undefined without an observer. */
  get observerPort(): number | undefined {
    return this.observer?.port;
  }

  start(): Promise<void> {
    return this.lifecycle.start();
  }

  stop(): Promise<void> {
    return this.lifecycle.stop();
  }

  private async doStart(): Promise<void> {
    await this.observer?.start();
    this.controller.init();
    this.controller.start();
    this.api = await startApi({ config: this.config.api, controller: this.controller, history: this.history, registry: this.registry, log: this.log.child({ component: 'api' }) });
  }

  private async doStop(): Promise<void> {
    this.controller.stop();
    await Promise.all([this.api?.stop(), this.observer?.stop()]);
    this.history.close();
  }
}
