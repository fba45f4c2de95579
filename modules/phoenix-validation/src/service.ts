import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { startApi } from './api/server';
import { loadCatalog } from './catalog/catalog';
import { ControlClient } from './clients/control';
import { GeneratorsClient } from './clients/generators';
import { createLogger, LifecycleGuard, systemClock, type Clock, type HttpListener, type Lifecycle, type Logger } from '@phoenix/runtime';
import type { ValidationServiceConfig } from './config';
import type { ScenarioCatalog } from '@phoenix/contracts';
import { RunManager } from './runner/manager';
import { DirectSource } from './sources/direct';
import type { KpiSource } from './sources/kpis';
import { PrometheusSource } from './sources/prometheus';
import { RunStore } from './store/store';

/** The KPI source the configuration asks for: Prometheus when PROMETHEUS_URL is set, a direct scrape otherwise. */
export function createKpiSource(config: ValidationServiceConfig): KpiSource {
  const timeoutMs = config.sources.timeoutSeconds * 1000;
  if (config.sources.prometheusUrl) return new PrometheusSource({ url: config.sources.prometheusUrl, selector: config.sources.prometheusSelector, timeoutMs });
  return new DirectSource({ coreUrl: config.sources.coreUrl, observerUrl: config.sources.observerUrl, timeoutMs });
}

/** Store, catalog, clients and the run manager: what both the service and the CLI run on. */
export interface ValidationCore {
  store: RunStore;
  catalog: ScenarioCatalog;
  source: KpiSource;
  manager: RunManager;
  recovered: number;
}

export function openValidationCore(
  config: ValidationServiceConfig,
  opts: { log: Logger; origin: 'api' | 'cli'; clock?: Clock; source?: KpiSource; onFinished?: ConstructorParameters<typeof RunManager>[0]['onFinished'] },
): ValidationCore {
  const catalog = loadCatalog(config.catalogPath);
  const store = RunStore.open(config.dbPath);
  const source = opts.source ?? createKpiSource(config);
  const generators = new GeneratorsClient(config.sources.generatorsUrl, config.token, config.sources.timeoutSeconds * 1000);
  const manager = new RunManager({
    config,
    store,
    catalog,
    source,
    generators,
    control: config.sources.controlUrl ? new ControlClient(config.sources.controlUrl, config.sources.timeoutSeconds * 1000) : undefined,
    log: opts.log.child({ component: 'runs' }),
    clock: opts.clock,
    origin: opts.origin,
    onFinished: opts.onFinished,
  });
  const recovered = manager.recover();
  if (recovered.some((r) => r.lifecycle === 'running')) {
    // The dead run's load may still be running on the generators: stop it (best effort, in the background).
    generators.stop().catch((err: unknown) => opts.log.warn('could not stop the load of a run left in flight', { err }));
  }
  return { store, catalog, source, manager, recovered: recovered.length };
}

export interface ValidationServiceDeps {
  clock?: Clock;
  log?: Logger;
  /** Replaces the KPI source (tests). */
  source?: KpiSource;
  /** Adds the Node.js process metrics to /metrics (default true). */
  processMetrics?: boolean;
}

/**
 * phoenix-validation: opens the store (marking runs left in flight as failed) and loads the catalog
 * when created; serves the benchmark API once started.
 */
export class ValidationService implements Lifecycle {
  readonly manager: RunManager;
  readonly store: RunStore;
  readonly recovered: number;
  private api: HttpListener | undefined;
  private readonly lifecycle: LifecycleGuard;
  private readonly registry = new Registry();
  private readonly log: Logger;
  private readonly core: ValidationCore;
  private readonly clock: Clock;

  constructor(
    private readonly config: ValidationServiceConfig,
    deps: ValidationServiceDeps = {},
  ) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log ?? createLogger({ level: config.logLevel, fields: { service: 'phoenix-validation' } });
    if (deps.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    const finished = new Counter({ name: 'phoenix_validation_runs_total', help: 'Benchmark runs that reached a final state, by state and verdict.', labelNames: ['state', 'passed'], registers: [this.registry] });
    this.core = openValidationCore(config, {
      log: this.log,
      origin: 'api',
      clock: this.clock,
      source: deps.source,
      onFinished: (r) => finished.inc({ state: r.state, passed: r.passed === undefined ? 'n/a' : String(r.passed) }),
    });
    this.manager = this.core.manager;
    this.store = this.core.store;
    this.recovered = this.core.recovered;
    const manager = this.manager;
    new Gauge({
      name: 'phoenix_validation_run_in_flight',
      help: '1 while a benchmark run of this service is pending, running or analyzing.',
      registers: [this.registry],
      collect() {
        this.set(manager.inFlightId() ? 1 : 0);
      },
    });
    this.lifecycle = new LifecycleGuard('phoenix-validation', () => this.doStart(), (reason) => this.doStop(reason));
  }

  /** The API's port (after start). */
  get port(): number {
    return this.api?.port ?? 0;
  }

  start(): Promise<void> {
    return this.lifecycle.start();
  }

  /** Stops the API; a run in flight ends as failed with `reason`. */
  stop(reason = 'phoenix-validation stopped while the run was in flight'): Promise<void> {
    return this.lifecycle.stop(reason);
  }

  private async doStart(): Promise<void> {
    const started = this.clock.now();
    const { manager, core } = this;
    this.api = await startApi({
      config: this.config.api,
      manager,
      registry: this.registry,
      log: this.log.child({ component: 'api' }),
      health: () => {
        const id = manager.inFlightId();
        const h = {
          status: 'ok' as const,
          busy: id !== undefined,
          uptime_seconds: (this.clock.now() - started) / 1000,
          scenarios: core.catalog.scenarios.length,
          data_source: core.source.kind,
          recovered_runs: core.recovered,
        };
        return id ? { ...h, run_id: id } : h;
      },
    });
  }

  private async doStop(reason: string): Promise<void> {
    await this.manager.shutdown(reason);
    await this.api?.stop();
    this.store.close();
  }
}
