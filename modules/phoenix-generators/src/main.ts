#!/usr/bin/env node
import { runService } from '@phoenix/runtime';
import { loadServiceConfig } from './serviceConfig';
import { GeneratorsService } from './service';

/**
 * phoenix-generators: environment -> config -> the generator and its load-control API on PHOENIX_GENERATORS_PORT.
 * An invalid configuration exits 2 with every problem; SIGTERM/SIGINT stop it cleanly.
 */
void runService({
  name: 'phoenix-generators',
  config: loadServiceConfig(process.env),
  create: (config, log) => new GeneratorsService(config, { log }),
  describe: (c, s) => ({
    api: `http://${c.api.bindAddress}:${s.apiPort}`,
    exporter: { protocol: c.exporter.protocol, url: c.exporter.url },
    scenarios: [...s.profiles.keys()],
    autostart: c.autostartScenario ?? null,
    auth: c.api.token ? 'bearer token' : c.api.allowInsecure ? 'insecure' : 'loopback only',
  }),
  stopTimeoutMs: 10_000,
});
