import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { LoadProfile } from '@phoenix/contracts';
import { createLogger, InvalidConfigError, LifecycleGuard, listenHttp, systemClock, type Clock, type HttpListener, type Lifecycle, type Logger } from '@phoenix/runtime';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createApiApp } from './api/createApiApp';
import type { ExporterConfig } from './exporter/exporterConfig';
import { Generator } from './generator/generator';
import { loadProfilesDir } from './profiles/loadProfiles';
import { SERVICE_ENV, type ServiceConfig } from './serviceConfig';
import { MODULE_VERSION } from './version';

export interface GeneratorsServiceDeps {
  clock?: Clock;
  log?: Logger;
  /** Adds the Node.js process metrics to /metrics (default true). */
  processMetrics?: boolean;
  /** Replaces the OTLP exporter (tests). */
  createExporter?: (c: ExporterConfig) => PushMetricExporter;
}

/** The profiles of `config.profilesDir`, and the boot scenario among them; problems are an invalid configuration (exit 2). */
function loadProfiles(config: ServiceConfig): { profiles: Map<string, LoadProfile>; autostart: LoadProfile | undefined } {
  const key = (k: string): string => `${k} (${SERVICE_ENV[k]})`;
  let profiles: Map<string, LoadProfile>;
  try {
    profiles = loadProfilesDir(config.profilesDir);
  } catch (err) {
    throw new InvalidConfigError([`${key('profilesDir')}: ${(err as Error).message}`]);
  }
  const name = config.autostartScenario;
  const autostart = name === undefined ? undefined : profiles.get(name);
  if (name !== undefined && !autostart) {
    throw new InvalidConfigError([`${key('autostartScenario')}: unknown scenario ${JSON.stringify(name)}; known: ${[...profiles.keys()].join(', ')}`]);
  }
  return { profiles, autostart };
}

/**
 * phoenix-generators: the generator and its load-control API, started and stopped as one. The
 * constructor reads the profiles (an invalid one, or an unknown boot scenario, throws InvalidConfigError);
 * `start()` starts the generator, listens, then starts the boot scenario (looping until changed through the API);
 * `stop()` closes the API, then stops the generator (its SDKs and exporter).
 */
export class GeneratorsService implements Lifecycle {
  readonly generator: Generator;
  readonly profiles: ReadonlyMap<string, LoadProfile>;
  private readonly autostart: LoadProfile | undefined;
  private readonly registry = new Registry();
  private readonly log: Logger;
  private readonly lifecycle: LifecycleGuard;
  private api: HttpListener | undefined;

  constructor(
    private readonly config: ServiceConfig,
    deps: GeneratorsServiceDeps = {},
  ) {
    this.log = deps.log ?? createLogger({ level: config.logLevel, fields: { service: 'phoenix-generators' } });
    const { profiles, autostart } = loadProfiles(config);
    this.profiles = profiles;
    this.autostart = autostart;
    if (deps.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.generator = new Generator({
      clock: deps.clock ?? systemClock,
      registry: this.registry,
      log: this.log.child({ component: 'generator' }),
      exporter: config.exporter,
      workload: config.workload,
      config: config.generator,
      meterVersion: MODULE_VERSION,
      createExporter: deps.createExporter,
    });
    this.lifecycle = new LifecycleGuard('phoenix-generators', () => this.doStart(), (reason) => this.doStop(reason));
  }

  /** The API's port (after start; 0 before). */
  get apiPort(): number {
    return this.api?.port ?? 0;
  }

  start(): Promise<void> {
    return this.lifecycle.start();
  }

  stop(reason?: string): Promise<void> {
    return this.lifecycle.stop(reason);
  }

  private async doStart(): Promise<void> {
    await this.generator.start();
    const app = createApiApp({ generator: this.generator, profiles: this.profiles, registry: this.registry, config: this.config.api, log: this.log.child({ component: 'api' }) });
    this.api = await listenHttp(app, { port: this.config.api.port, bindAddress: this.config.api.bindAddress });
    if (this.autostart) await this.generator.startScenario(this.autostart, { loop: true });
  }

  private async doStop(reason: string): Promise<void> {
    await this.api?.stop();
    await this.generator.stop(reason);
  }
}
