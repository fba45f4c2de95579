#!/usr/bin/env node
import { runService } from '@phoenix/runtime';
import { loadConfig } from './config';
import { ValidationService } from './service';

/** phoenix-validation: environment -> config -> run store, catalog, benchmark API. SIGTERM/SIGINT stop it cleanly. */
void runService({
  name: 'phoenix-validation',
  config: loadConfig(process.env),
  create: (config, log) => new ValidationService(config, { log }),
  describe: (c, s) => ({
    api: `http://${c.api.bindAddress}:${s.port}`,
    kpi_source: c.sources.prometheusUrl ? `prometheus ${c.sources.prometheusUrl}` : `${c.sources.coreUrl}/metrics`,
    generators: c.sources.generatorsUrl,
    control: c.sources.controlUrl ?? 'not read',
    catalog: c.catalogPath,
    db: c.dbPath,
    environment: c.environment,
    recovered_runs: s.recovered,
    auth: c.api.token ? 'bearer token' : 'loopback only',
  }),
  stopTimeoutMs: 15_000,
  stopReason: (signal) => `phoenix-validation stopped (${signal}) while the run was in flight`,
});
