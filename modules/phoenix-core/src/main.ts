#!/usr/bin/env node
import { runService, systemClock } from '@phoenix/runtime';
import { coreConfigFromEnv } from './config/coreConfig';
import { CoreService } from './service/coreService';
import { ShardedCoreService } from './service/shardedCoreService';

/**
 * phoenix-core: environment → config → receivers, store, pipelines, exporters. An invalid
 * configuration (also a priority rules file that cannot be used: InvalidConfigError) exits 2;
 * SIGTERM/SIGINT stop it gracefully.
 */
void runService({
  name: 'phoenix-core',
  config: coreConfigFromEnv(process.env),
  create: (config, log) => (config.shards > 1 ? new ShardedCoreService(config, { log }) : new CoreService(config, { clock: systemClock, log })),
  describe: (config, core) => ({
    ports: core.boundPorts(),
    bind_address: config.bindAddress,
    control_file: config.controlFile,
    shards: config.shards,
    reduction: config.reductionEnabled,
  }),
  stopTimeoutMs: 10_000,
});
