import { InvalidConfigError } from './errors';
import type { Lifecycle } from './lifecycle';
import { createLogger, type LogFields, type Logger, type LogLevel } from './log';

/** The exit codes of every Phoenix service main. */
export const EXIT = { ok: 0, failed: 1, invalidConfig: 2 } as const;

export interface RunServiceOptions<C extends { logLevel: LogLevel }, S extends Lifecycle> {
  /** e.g. `phoenix-control`: the `service` field of every log line */
  name: string;
  /** the config read from the environment, with the problems found (each naming its variable or key) */
  config: { config: C; errors: string[] };
  /** builds the service (not yet started); throwing {@link InvalidConfigError} exits 2 */
  create: (config: C, log: Logger) => S | Promise<S>;
  /** what the "started" log line shows (addresses, paths, settings) */
  describe: (config: C, service: S) => LogFields;
  /** how long stop() may take before the process exits anyway (exit 1) */
  stopTimeoutMs: number;
  /** the reason passed to stop() (default `<name> stopped (<signal>)`) */
  stopReason?: (signal: string) => string;
  /** where lines go (default stdout; tests) */
  sink?: (line: string) => void;
  /** the process to drive (default the real one; tests) */
  proc?: ServiceProcess;
}

/** The part of `process` a service main uses. */
export interface ServiceProcess {
  on(event: 'SIGTERM' | 'SIGINT', fn: () => void): unknown;
  on(event: 'uncaughtException', fn: (err: Error) => void): unknown;
  once(event: 'disconnect', fn: () => void): unknown;
  exit(code: number): void;
  exitCode?: number | string | null;
  /** set when a supervisor started the service with an IPC channel */
  channel?: { unref(): void } | undefined | null;
}

/**
 * The main() of every Phoenix service:
 * - an invalid configuration: logs `invalid configuration` with every problem and exits 2;
 * - creates and starts the service (an InvalidConfigError exits 2, any other failure 1, after
 *   stopping what was started);
 * - logs `<name> started` with what it serves;
 * - stops it once on SIGTERM, SIGINT, an uncaught exception, or the supervisor's IPC channel closing
 *   (`npm start`, phoenix-agent): exit 0, or 1 after an error or when stop takes longer than
 *   `stopTimeoutMs`. A second SIGINT/SIGTERM exits at once (1).
 */
export async function runService<C extends { logLevel: LogLevel }, S extends Lifecycle>(o: RunServiceOptions<C, S>): Promise<void> {
  const proc: ServiceProcess = o.proc ?? process;
  const { config, errors } = o.config;
  const log = createLogger({ level: config.logLevel ?? 'info', sink: o.sink, fields: { service: o.name } });
  if (errors.length > 0) {
    log.error('invalid configuration', { errors });
    proc.exitCode = EXIT.invalidConfig;
    return;
  }
  let service: S | undefined;
  try {
    service = await o.create(config, log);
    await service.start();
  } catch (err) {
    const invalid = err instanceof InvalidConfigError;
    log.error(invalid ? 'invalid configuration' : 'failed to start', invalid ? { errors: err.problems } : { err, stack: (err as Error).stack });
    await service?.stop('failed to start').catch(() => undefined);
    proc.exitCode = invalid ? EXIT.invalidConfig : EXIT.failed;
    return;
  }
  const running = service;
  let stopping = false;
  const shutdown = (signal: string, code: number = EXIT.ok): void => {
    if (stopping) {
      if (signal === 'SIGINT' || signal === 'SIGTERM') {
        log.warn('second signal: exiting now', { signal });
        proc.exit(EXIT.failed);
      }
      return;
    }
    stopping = true;
    log.info('shutting down', { signal });
    const force = setTimeout(() => {
      log.error('shutdown took too long, exiting', { stop_timeout_ms: o.stopTimeoutMs });
      proc.exit(EXIT.failed);
    }, o.stopTimeoutMs);
    force.unref();
    running
      .stop(o.stopReason ? o.stopReason(signal) : `${o.name} stopped (${signal})`)
      .then(() => {
        clearTimeout(force);
        log.info('stopped');
        proc.exit(code);
      })
      .catch((err: unknown) => {
        clearTimeout(force);
        log.error('error while stopping', { err });
        proc.exit(EXIT.failed);
      });
  };
  proc.on('SIGTERM', () => shutdown('SIGTERM'));
  proc.on('SIGINT', () => shutdown('SIGINT'));
  proc.on('uncaughtException', (err: Error) => {
    log.error('uncaught exception', { err, stack: err.stack });
    shutdown('uncaughtException', EXIT.failed);
  });
  if (proc.channel) {
    // started by a supervisor with an IPC channel: when it dies, stop as on SIGTERM (no orphans)
    proc.channel.unref();
    proc.once('disconnect', () => shutdown('supervisor gone'));
  }
  // only now: a supervisor that signals as soon as it reads this line gets a graceful stop
  log.info(`${o.name} started`, o.describe(config, running));
}
