#!/usr/bin/env node
import { runService } from '@phoenix/runtime';
import { loadConfig } from './config';
import { ControlService } from './service';

/** phoenix-control: environment -> config -> observer, actuator, control API. SIGTERM/SIGINT stop it cleanly. */
void runService({
  name: 'phoenix-control',
  config: loadConfig(process.env),
  create: (config, log) => new ControlService(config, { log }),
  describe: (c, s) => ({
    api: `http://${c.api.bindAddress}:${s.apiPort}`,
    observer: `http://${c.observer.bindAddress}:${s.observerPort}/metrics`,
    kpi_source: c.observer.prometheusUrl ? `prometheus ${c.observer.prometheusUrl}` : `${c.observer.coreUrl}/metrics`,
    control_file: c.controlFile.path,
    history: c.history.path,
    target_series: c.actuator.targetSeries,
    auth: c.api.token ? 'bearer token' : 'loopback only',
  }),
  stopTimeoutMs: 10_000,
});
