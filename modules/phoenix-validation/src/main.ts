#!/usr/bin/env node
import { loadConfig } from './config';
import { createLogger } from '@phoenix/runtime';
import { startValidationService, type ValidationService } from './service';

/** phoenix-validation: environment -> config -> run store, catalog, benchmark API. SIGTERM/SIGINT stop it cleanly. */
async function main(): Promise<void> {
  const { config, errors } = loadConfig(process.env);
  const log = createLogger({ level: config.logLevel, fields: { service: 'phoenix-validation' } });
  if (errors.length > 0) {
    log.error('invalid configuration', { errors });
    process.exitCode = 2;
    return;
  }
  let service: ValidationService;
  try {
    service = await startValidationService(config, { log });
  } catch (err) {
    log.error('failed to start', { err });
    process.exitCode = 1;
    return;
  }
  log.info('phoenix-validation started', {
    api: `http://${config.api.bindAddress}:${service.port}`,
    kpi_source: config.sources.prometheusUrl ? `prometheus ${config.sources.prometheusUrl}` : `${config.sources.coreUrl}/metrics`,
    generators: config.sources.generatorsUrl,
    control: config.sources.controlUrl ?? 'not read',
    catalog: config.catalogPath,
    db: config.dbPath,
    environment: config.environment,
    recovered_runs: service.recovered,
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
    }, 15_000);
    force.unref();
    service
      .stop(`phoenix-validation stopped (${signal}) while the run was in flight`)
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
