#!/usr/bin/env node
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createApiApp } from './api/createApiApp';
import { startApiServer } from './api/startApiServer';
import { createLogger, systemClock } from '@phoenix/runtime';
import { Generator } from './generator/generator';
import { loadProfilesDir } from './profiles/loadProfiles';
import { serviceConfigFromEnv, validateServiceConfig } from './serviceConfig';
import { MODULE_VERSION } from './version';

/** Starts the phoenix-generators service: the load-control API on PHOENIX_GENERATORS_PORT and the generator. */
async function main(): Promise<void> {
  const config = serviceConfigFromEnv(process.env);
  const boot = createLogger({ fields: { service: 'phoenix-generators' } });
  const problems = validateServiceConfig(config);
  if (problems.length > 0) {
    boot.error('refusing to start: invalid configuration', { problems });
    process.exitCode = 1;
    return;
  }
  const logger = createLogger({ level: config.log_level, fields: { service: 'phoenix-generators' } });
  const profiles = loadProfilesDir(config.profiles_dir);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const generator = new Generator({
    clock: systemClock,
    registry,
    logger: logger.child({ component: 'generator' }),
    exporter: config.exporter,
    workload: config.workload,
    config: config.generator,
    meterVersion: MODULE_VERSION,
  });
  const app = createApiApp({ generator, profiles, registry, config: config.api, logger: logger.child({ component: 'api' }) });
  const server = await startApiServer(app, config.api.bind_address, config.api.port);
  logger.info('listening', {
    address: config.api.bind_address,
    port: server.port,
    exporter: { protocol: config.exporter.protocol, url: config.exporter.url },
    scenarios: [...profiles.keys()],
    auth: config.api.api_token ? 'bearer' : config.api.allow_insecure ? 'insecure' : 'loopback-only',
  });
  if (config.autostart_scenario) {
    const profile = profiles.get(config.autostart_scenario);
    if (!profile) {
      logger.error('unknown PHOENIX_GENERATORS_SCENARIO', { scenario: config.autostart_scenario, known: [...profiles.keys()] });
      await server.close();
      process.exitCode = 1;
      return;
    }
    // the boot load of a running stack repeats until it is changed or stopped through the API
    await generator.startScenario(profile, { loop: true });
  }
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    void Promise.all([generator.close(), server.close()]).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(JSON.stringify({ level: 'error', service: 'phoenix-generators', msg: 'failed to start', error: (err as Error).message }) + '\n');
  process.exit(1);
});
