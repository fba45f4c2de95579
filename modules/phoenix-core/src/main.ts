#!/usr/bin/env node
import { systemClock } from './clock';
import { coreConfigFromEnv } from './config/coreConfig';
import { createJsonLogger } from './log';
import { CoreService } from './service/coreService';
import { ShardedCoreService } from './service/shardedCoreService';

async function main(): Promise<void> {
  const { config, errors } = coreConfigFromEnv(process.env);
  const log = createJsonLogger({ level: config.logLevel, component: 'phoenix-core' });
  if (errors.length > 0) {
    log.error('invalid configuration', { errors });
    process.exitCode = 2;
    return;
  }
  let service: CoreService | ShardedCoreService;
  try {
    service = config.shards > 1 ? new ShardedCoreService(config, { log }) : new CoreService(config, { clock: systemClock, log });
  } catch (err) {
    log.error('invalid configuration', { errors: [(err as Error).message] });
    process.exitCode = 2;
    return;
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    service.shutdown().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    await service.start();
  } catch (err) {
    log.error('failed to start', { err });
    await service.shutdown();
    process.exitCode = 1;
  }
}

void main();
