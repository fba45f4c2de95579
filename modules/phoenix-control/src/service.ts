import { collectDefaultMetrics, Registry } from 'prom-client';
import { startApi } from './api/server';
import type { Clock } from '@phoenix/runtime';
import { systemClock } from '@phoenix/runtime';
import type { ControlServiceConfig } from './config';
import { ControlFileWriter } from './controlFileWriter/writer';
import { Controller } from './controller/controller';
import { HistoryStore } from './history/store';
import { createLogger, type Logger } from '@phoenix/runtime';
import { Observer, type KpiSource } from './observer/observer';

export interface ControlService {
  apiPort: number;
  /** Undefined when a KPI source was injected (no observer). */
  observerPort: number | undefined;
  controller: Controller;
  observer: Observer | undefined;
  writer: ControlFileWriter;
  history: HistoryStore;
  stop(): Promise<void>;
}

export interface ControlServiceDeps {
  clock?: Clock;
  log?: Logger;
  /** Replaces the observer (tests). */
  kpis?: KpiSource;
  fetch?: typeof fetch;
  /** Adds the Node.js process metrics to the API's /metrics (default true). */
  processMetrics?: boolean;
}

/** Wires observer -> controller (actuator, writer, history) -> API and starts them. */
export async function startControlService(config: ControlServiceConfig, deps: ControlServiceDeps = {}): Promise<ControlService> {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? createLogger({ level: config.logLevel, fields: { service: 'phoenix-control' } });
  const controlRegistry = new Registry();
  if (deps.processMetrics !== false) collectDefaultMetrics({ register: controlRegistry });
  const history = HistoryStore.open(config.history, log.child({ component: 'history' }));
  const writer = new ControlFileWriter(config.controlFile, clock, log.child({ component: 'controlFileWriter' }));
  let observer: Observer | undefined;
  let kpis = deps.kpis;
  if (!kpis) {
    observer = new Observer(config.observer, clock, log.child({ component: 'observer' }), new Registry(), deps.fetch);
    kpis = observer;
  }
  const controller = new Controller({
    config: config.controller,
    actuator: config.actuator,
    clock,
    log: log.child({ component: 'actuator' }),
    kpis,
    writer,
    history,
    registry: controlRegistry,
  });
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  let observerPort: number | undefined;
  try {
    if (observer) {
      observerPort = await observer.listen();
      await observer.scrapeOnce();
      observer.start();
    }
    controller.init();
    controller.start();
    api = await startApi({ config: config.api, controller, history, registry: controlRegistry, log: log.child({ component: 'api' }) });
  } catch (err) {
    controller.stop();
    await observer?.stop();
    history.close();
    throw err;
  }
  const started = api;
  return {
    apiPort: started.port,
    observerPort,
    controller,
    observer,
    writer,
    history,
    async stop() {
      controller.stop();
      await Promise.all([started.close(), observer?.stop()]);
      history.close();
    },
  };
}
