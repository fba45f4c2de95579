import type { KpiSample } from '@phoenix/contracts';
import type { Metric, MetricsRegistry } from './metrics';

/** This process's CPU time and RSS (the heartbeat's resource_usage.agent and process_* metrics). */
export function processUsage(): { rss_bytes: number; cpu_seconds_total: number } {
  const cpu = process.cpuUsage();
  return { rss_bytes: process.memoryUsage.rss(), cpu_seconds_total: (cpu.user + cpu.system) / 1e6 };
}

const PER_PIPELINE = [
  ['heavy_hitter_recall', 'phoenix_host_heavy_hitter_recall_ratio', 'Share of the true top-10 processes per host that stay individually visible, by pipeline.'],
  ['totals_preservation', 'phoenix_host_totals_preservation_ratio', 'Output total / input total (furthest from 1), by pipeline.'],
  ['attribution_coverage', 'phoenix_host_attribution_coverage_ratio', 'Share of the ranking signal attributed to individually visible processes, by pipeline.'],
] as const;

/**
 * The agent's process metrics, its identity, and the host's KPIs (`phoenix_host_*`, from the latest
 * observatory reading) in the registry served on /metrics and pushed to the Pushgateway.
 */
export class AgentTelemetry {
  private readonly series: Metric;
  private readonly active: Metric;
  private readonly byProfile: Metric;
  private readonly streams: Metric;
  private readonly modeInfo: Metric;
  private readonly k: Metric;
  private readonly target: Metric;
  private readonly ingest: Metric;
  private readonly ratios: Metric[];
  private readonly up: Metric;
  private readonly observed: Metric;
  private readonly coreRss: Metric;
  private readonly coreCpu: Metric;

  constructor(registry: MetricsRegistry, info: { version: string; hostId: string; startedAtMs: number }) {
    registry.counter('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', [], (m) => m.set({}, processUsage().cpu_seconds_total));
    registry.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', [], (m) => m.set({}, processUsage().rss_bytes));
    registry.gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', [], (m) => m.set({}, Math.round(info.startedAtMs / 1000)));
    registry.gauge('phoenix_agent_info', 'The agent: version and host id (value 1).', ['version', 'host_id'], (m) => m.set({ version: info.version, host_id: info.hostId }, 1));
    this.up = registry.gauge('phoenix_host_core_up', "1 when the last scrape of the core's observatory succeeded.");
    this.observed = registry.gauge('phoenix_host_kpi_timestamp_seconds', 'When the KPIs below were read from the core.');
    this.series = registry.gauge('phoenix_host_series', "Series each of the core's pipeline endpoints exposes, by pipeline.", ['pipeline']);
    this.active = registry.gauge('phoenix_host_active_series', 'Series of the active output (the pipeline the mode selects).');
    this.byProfile = registry.gauge('phoenix_host_optimized_series_by_profile', 'Series the optimized pipeline would expose under each profile.', ['profile']);
    this.streams = registry.gauge('phoenix_host_topk_streams', '(host, metric stream) groups in experimental_topk.');
    this.modeInfo = registry.gauge('phoenix_host_control_mode_info', 'The mode and profile in force on the core (value 1).', ['mode', 'profile']);
    this.k = registry.gauge('phoenix_host_topk_k', 'topk.k in force on the core.');
    this.target = registry.gauge('phoenix_host_target_series', 'target_series in force on the core.');
    this.ingest = registry.gauge('phoenix_host_ingest_points_per_second', 'Data points the core accepted per second since the previous reading.');
    this.ratios = PER_PIPELINE.map(([, name, help]) => registry.gauge(name, help, ['pipeline']));
    this.coreRss = registry.gauge('phoenix_host_core_resident_memory_bytes', "The core's resident memory (its process_resident_memory_bytes).");
    this.coreCpu = registry.counter('phoenix_host_core_cpu_seconds_total', "The core's CPU time (its process_cpu_seconds_total).");
  }

  /** The latest reading; a sample with core_up false clears the KPI series (no stale values are pushed). */
  setKpis(s: Omit<KpiSample, 'seq'>, core: { rss_bytes: number; cpu_seconds_total: number } | undefined): void {
    for (const m of [this.series, this.active, this.byProfile, this.streams, this.modeInfo, this.k, this.target, this.ingest, ...this.ratios, this.coreRss, this.coreCpu]) m.reset();
    this.up.set({}, s.core_up === false ? 0 : 1);
    this.observed.set({}, Date.parse(s.observed_at) / 1000);
    if (s.core_up === false) return;
    for (const [p, v] of Object.entries(s.series)) if (v !== undefined) this.series.set({ pipeline: p }, v);
    if (s.active_series !== undefined) this.active.set({}, s.active_series);
    for (const [p, v] of Object.entries(s.optimized_series_by_profile ?? {})) if (v !== undefined) this.byProfile.set({ profile: p }, v);
    if (s.topk_streams !== undefined) this.streams.set({}, s.topk_streams);
    if (s.mode && s.profile) this.modeInfo.set({ mode: s.mode, profile: s.profile }, 1);
    if (s.topk_k !== undefined) this.k.set({}, s.topk_k);
    if (s.target_series !== undefined) this.target.set({}, s.target_series);
    if (s.ingest_points_per_second !== undefined) this.ingest.set({}, s.ingest_points_per_second);
    PER_PIPELINE.forEach(([field], i) => {
      for (const [p, v] of Object.entries(s[field] ?? {})) if (v !== undefined) this.ratios[i].set({ pipeline: p }, v);
    });
    if (core) {
      this.coreRss.set({}, core.rss_bytes);
      this.coreCpu.set({}, core.cpu_seconds_total);
    }
  }
}
