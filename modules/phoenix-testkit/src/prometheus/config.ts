import path from 'node:path';

/** One scrape job of a generated configuration. Targets are `host:port`. */
export interface ScrapeConfig {
  job: string;
  targets: string[];
  metricsPath?: string;
}

export interface PrometheusConfigOptions {
  scrapeConfigs: ScrapeConfig[];
  /** scrape_interval and evaluation_interval (default 1 s). */
  scrapeIntervalSeconds?: number;
  /** Rule files to load; relative paths are resolved against the current directory. */
  ruleFiles?: string[];
}

function yamlString(s: string): string {
  return JSON.stringify(s); // a JSON string literal is a valid YAML double-quoted scalar
}

/** The prometheus.yml that startPrometheus generates. */
export function buildPrometheusConfig(opts: PrometheusConfigOptions): string {
  const interval = opts.scrapeIntervalSeconds ?? 1;
  if (!(interval > 0)) throw new Error(`scrapeIntervalSeconds must be > 0, got ${interval}`);
  const timeout = Math.min(interval, 10);
  const lines = ['global:', `  scrape_interval: ${interval}s`, `  scrape_timeout: ${timeout}s`, `  evaluation_interval: ${interval}s`];
  const rules = opts.ruleFiles ?? [];
  if (rules.length > 0) {
    lines.push('rule_files:');
    for (const f of rules) lines.push(`  - ${yamlString(path.resolve(f))}`);
  }
  lines.push('scrape_configs:');
  if (opts.scrapeConfigs.length === 0) lines[lines.length - 1] += ' []';
  for (const sc of opts.scrapeConfigs) {
    for (const t of sc.targets) {
      if (t.includes('://') || t.includes('/')) {
        throw new Error(`scrape target must be host:port (put the path in metricsPath), got ${JSON.stringify(t)}`);
      }
    }
    lines.push(`  - job_name: ${yamlString(sc.job)}`);
    if (sc.metricsPath) lines.push(`    metrics_path: ${yamlString(sc.metricsPath)}`);
    lines.push('    static_configs:');
    lines.push(`      - targets: [${sc.targets.map(yamlString).join(', ')}]`);
  }
  return lines.join('\n') + '\n';
}
