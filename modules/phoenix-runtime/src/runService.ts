import { createLogger, type LogFields, type Logger, type LogLevel } from './log';

/** A running service that main() stops on SIGTERM/SIGINT. */
export interface StoppableService {
  /** `reason` says why (signal), for services that record it */
  stop(reason: string): Promise<void>;
}

export interface RunServiceOptions<C extends { logLevel: LogLevel }, S extends StoppableService> {
  /** e.g. phoenix-control: the `service` field of every log line */
  name: string;
  /** config from the environment, with the problems found (each naming its variable or key) */
  config: { config: C; errors: string[] };
  start: (config: C, log: Logger) => Promise<S>;
  /** what the "started" log line shows (addresses, paths, settings) */
  describe: (config: C, service: S) => LogFields;
  /** how long stop() may take before the process exits anyway */
  stopTimeoutMs: number;
  /** the reason passed to stop() (default `<name> stopped (<signal>)`) */
  stopReason?: (signal: string) => string;
}

/**
 * The main() of a Phoenix service: refuses an invalid config (exit code 2), starts the service
 * (exit code 1 when that fails), logs what it serves, and stops it cleanly once on SIGTERM, SIGINT
 * or an uncaught exception (exit 0, or 1 after an error or the stop timeout).
 */
export async function runService<C extends { logLevel: LogLevel }, S extends StoppableService>(o: RunServiceOptions<C, S>): Promise<void> {
  const { config, errors } = o.config;
  const log = createLogger({ level: config.logLevel, fields: { service: o.name } });
  if (errors.length > 0) {
    log.error('invalid configuration', { errors });
    process.exitCode = 2;
    return;
  }
  let service: S;
  try {
    service = await o.start(config, log);
  } catch (err) {
    log.error('failed to start', { err });
    process.exitCode = 1;
    return;
  }
  log.info(`${o.name} started`, o.describe(config, service));
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    const force = setTimeout(() => {
      log.error('shutdown took too long, exiting');
      process.exit(1);
    }, o.stopTimeoutMs);
    force.unref();
    service
      .stop(o.stopReason ? o.stopReason(signal) : `${o.name} stopped (${signal})`)
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
