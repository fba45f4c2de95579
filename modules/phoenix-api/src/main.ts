#!/usr/bin/env node
import { runService } from '@phoenix/runtime';
import { loadConfig } from './config';
import { ApiService } from './service';

/** phoenix-api: environment → config → database, queue, fleet controller, REST API. SIGTERM/SIGINT stop it cleanly. */
void runService({
  name: 'phoenix-api',
  config: loadConfig(process.env),
  create: (config, log) => new ApiService(config, { log }),
  describe: (c, s) => ({
    api: `http://${c.api.bindAddress}:${s.port}`,
    database: c.database.url ? 'postgresql' : `pglite ${c.database.pgliteDir}`,
    fleet_target_series: c.fleet.targetSeries,
    auth: c.api.token ? 'bearer token' : 'loopback only',
    agent_key: c.agentKey ? 'PHOENIX_AGENT_KEY set' : 'issued keys only',
  }),
  stopTimeoutMs: 15_000,
});
