import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { TickReport } from './tickReport';

/** The generator's own Prometheus metrics (GET /metrics). */
export interface SelfMetrics {
  exports: Counter<'outcome'>;
  exportSeries: Gauge;
  dataPointsExported: Counter;
  ticks: Counter;
  tickOverruns: Counter;
  tickDuration: Histogram;
  hosts: Gauge;
  processes: Gauge;
  running: Gauge;
  churnEvents: Counter<'kind'>;
  providerRotations: Counter;
}

/** Registers the self-metrics on `registry` (passed in; no global registry). */
export function createSelfMetrics(registry: Registry): SelfMetrics {
  const registers = [registry];
  return {
    exports: new Counter({
      name: 'phoenix_generator_exports_total',
      help: 'Per-host OTLP export requests of the SDK path, by outcome (ok, failed).',
      labelNames: ['outcome'],
      registers,
    }),
    exportSeries: new Gauge({
      name: 'phoenix_generator_export_series',
      help: 'Series (data points) sent in the last export interval, all hosts.',
      registers,
    }),
    dataPointsExported: new Counter({
      name: 'phoenix_generator_data_points_exported_total',
      help: 'Data points in export requests that succeeded.',
      registers,
    }),
    ticks: new Counter({ name: 'phoenix_generator_ticks_total', help: 'Export intervals run.', registers }),
    tickOverruns: new Counter({
      name: 'phoenix_generator_tick_overruns_total',
      help: 'Export intervals that took longer than the interval (the next one started late).',
      registers,
    }),
    tickDuration: new Histogram({
      name: 'phoenix_generator_tick_duration_seconds',
      help: 'Wall time of one export interval: model step plus every host collection and export.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    hosts: new Gauge({ name: 'phoenix_generator_hosts', help: 'Simulated hosts.', registers }),
    processes: new Gauge({ name: 'phoenix_generator_processes', help: 'Live simulated processes, all hosts.', registers }),
    running: new Gauge({ name: 'phoenix_generator_running', help: '1 while load is generated.', registers }),
    churnEvents: new Counter({
      name: 'phoenix_generator_churn_events_total',
      help: 'Process churn events by kind (spawn, exit, restart, reset).',
      labelNames: ['kind'],
      registers,
    }),
    providerRotations: new Counter({
      name: 'phoenix_generator_provider_rotations_total',
      help: 'Host MeterProviders rebuilt to forget exited processes.',
      registers,
    }),
  };
}

/** What one export interval did, as the self-metrics count it (with the meter providers rebuilt during it). */
export type TickCounts = Pick<TickReport, 'hosts' | 'processes' | 'series' | 'ok' | 'failed' | 'durationMs' | 'churn'> & { rotations: number };

/** Counts one export interval. */
export function recordTick(m: SelfMetrics, t: TickCounts): void {
  m.ticks.inc();
  if (t.ok > 0) m.exports.inc({ outcome: 'ok' }, t.ok);
  if (t.failed > 0) m.exports.inc({ outcome: 'failed' }, t.failed);
  m.exportSeries.set(t.series);
  m.tickDuration.observe(t.durationMs / 1000);
  m.hosts.set(t.hosts);
  m.processes.set(t.processes);
  for (const [kind, n] of [['spawn', t.churn.spawns], ['exit', t.churn.exits], ['restart', t.churn.restarts], ['reset', t.churn.resets]] as const) {
    if (n > 0) m.churnEvents.inc({ kind }, n);
  }
  if (t.rotations > 0) m.providerRotations.inc(t.rotations);
}
