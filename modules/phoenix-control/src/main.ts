#!/usr/bin/env node
import { loadConfig } from './config';
import { createLogger } from '@phoenix/runtime';
import { startControlService, type ControlService } from './service';

/** phoenix-control: environment -> config -> observer, actuator, control API. SIGTERM/SIGINT stop it cleanly. */
async function main(): Promise<void> {
  const { config, errors } = loadConfig(process.env);
  const log = createLogger({ level: config.logLevel, fields: { service: 'phoenix-control' } });
  if (errors.length > 0) {
    log.error('invalid configuration', { errors });
    process.exitCode = 2;
    return;
  }
  let service: ControlService;
  try {
    service = await startControlService(config, { log });
  } catch (err) {
    log.error('failed to start', { err });
    process.exitCode = 1;
    return;
  }
  log.info('phoenix-control started', {
    api: `http://${config.api.bindAddress}:${service.apiPort}`,
    observer: `http://${config.observer.bindAddress}:${service.observerPort}/metrics`,
    kpi_source: config.observer.prometheusUrl ? `prometheus ${config.observer.prometheusUrl}` : `${config.observer.coreUrl}/metrics`,
    control_file: config.controlFile.path,
    history: config.history.path,
    target_series: config.actuator.targetSeries,
    auth: config.api.token ? 'bearer token' : 'loopback only',
  });
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    const force = setTimeout(() => {
      log.error('shutdown took too long, exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    service
      .stop()
      .then(() => {
        log.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        log.error('error while stopping', { err });
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('uncaughtException', (err) => {
    log.error('uncaught exception', { err, stack: err.stack });
    shutdown('uncaughtException');
  });
}

void main();
