import fs from 'node:fs';
import path from 'node:path';
import type { LRParser } from '@lezer/lr';
import YAML from 'yaml';
import { ChildSupervisor } from '@phoenix/runtime';

// The PromQL grammar of the Prometheus project. It ships ESM typings only, so tsc (CommonJS here) cannot type an
// import of it; its CommonJS build is what runs, typed through @lezer/lr.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: LRParser };

export const ROOT = path.resolve(__dirname, '../../..');
export const MONITORING = path.resolve(__dirname, '..');
export const PROMETHEUS_DIR = path.join(MONITORING, 'prometheus');
export const DASHBOARD_DIR = path.join(MONITORING, 'grafana', 'dashboards');
export const START_SCRIPT = path.join(ROOT, 'scripts', 'start.js');

/** The listeners of the stack: default port (as in prometheus.yml and the README) -> its env variable. */
export const LISTENERS: Array<{ env: string; defaultPort: number }> = [
  { env: 'PHOENIX_OTLP_GRPC_PORT', defaultPort: 4317 },
  { env: 'PHOENIX_OTLP_HTTP_PORT', defaultPort: 4318 },
  { env: 'PHOENIX_FULL_FIDELITY_PORT', defaultPort: 8888 },
  { env: 'PHOENIX_OPTIMIZED_PORT', defaultPort: 8889 },
  { env: 'PHOENIX_EXPERIMENTAL_TOPK_PORT', defaultPort: 8890 },
  { env: 'PHOENIX_OBSERVATORY_PORT', defaultPort: 8891 },
  { env: 'PHOENIX_ACTIVE_PORT', defaultPort: 8892 },
  { env: 'PHOENIX_HEALTH_PORT', defaultPort: 13133 },
  { env: 'PHOENIX_OBSERVER_PORT', defaultPort: 9888 },
  { env: 'PHOENIX_CONTROL_API_PORT', defaultPort: 8080 },
  { env: 'PHOENIX_GENERATORS_PORT', defaultPort: 8082 },
  { env: 'PHOENIX_VALIDATION_PORT', defaultPort: 8083 },
  { env: 'PHOENIX_API_PORT', defaultPort: 8084 },
  { env: 'PHOENIX_AGENT_PORT', defaultPort: 8085 },
];

/** phoenix-validation is part of the stack once the module exists in the repository. */
export const VALIDATION_IN_REPO = fs.existsSync(path.join(ROOT, 'modules/phoenix-validation/package.json'));

// --- the supervisor (scripts/start.js) as a child process --------------------------------------------------

export interface Supervisor {
  /** start.js under the runtime's ChildSupervisor */
  process: ChildSupervisor;
  /** Sends a signal to start.js (SIGINT: Ctrl-C; SIGKILL: no chance to stop its children). */
  kill(signal: NodeJS.Signals): void;
  /** Its last lines of output (its own and its children's). */
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string | null>;
  /** Undefined while running. */
  exitCode(): number | string | null | undefined;
  /** pid of a service as printed by the supervisor ("<name> started (pid N)"), the latest start. */
  pidOf(name: string): number | undefined;
  /** Waits for a line of output matching `re`. */
  waitForOutput(re: RegExp, timeoutMs: number): Promise<void>;
}

export function startSupervisor(env: Record<string, string>): Supervisor {
  const pids = new Map<string, number>();
  const proc = new ChildSupervisor({
    name: 'start.js',
    command: process.execPath,
    args: [START_SCRIPT],
    cwd: ROOT,
    env,
    tailLines: 20_000,
    stopGraceMs: 15_000,
    onLine: (line) => {
      const m = /^\[phoenix\] (\S+) started \(pid (\d+)\)/.exec(line);
      if (m) pids.set(m[1], Number(m[2]));
    },
  });
  let code: number | string | null | undefined;
  const started = proc.start();
  const exited = started.then(() => proc.exited()).then((e) => (code = e.code ?? e.signal));
  return {
    process: proc,
    kill: (signal) => proc.child?.kill(signal),
    output: () => proc.output(),
    exited,
    exitCode: () => code,
    pidOf: (name) => pids.get(name),
    async waitForOutput(re: RegExp, timeoutMs: number) {
      await proc.waitForLine(re, timeoutMs).catch((err: Error) => {
        throw new Error(`start.js did not print ${re}: ${err.message}`);
      });
    },
  };
}

/** Resolves true when something accepts a TCP connection on 127.0.0.1:port. */
export async function listening(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// --- prometheus.yml for the loopback stack -----------------------------------------------------------------

interface StaticConfig {
  targets: string[];
  labels?: Record<string, string>;
}
interface ScrapeConfigYaml {
  job_name: string;
  static_configs: StaticConfig[];
  [k: string]: unknown;
}
interface PrometheusYaml {
  global?: Record<string, unknown>;
  rule_files?: string[];
  scrape_configs: ScrapeConfigYaml[];
  [k: string]: unknown;
}

export function readPrometheusYaml(): PrometheusYaml {
  return YAML.parse(fs.readFileSync(path.join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')) as PrometheusYaml;
}

/**
 * The project's prometheus.yml with every target moved to 127.0.0.1 and the port the test chose for it
 * (by the default port in the target), the rule files made absolute, and short intervals.
 * `selfPort` is Prometheus' own port (its own job scrapes `localhost:9090` in the file).
 */
export function loopbackPrometheusYaml(ports: Map<number, number>, selfPort: number, opts: { intervalSeconds: number; dropJobs?: string[] }): string {
  const cfg = readPrometheusYaml();
  cfg.global = { ...(cfg.global ?? {}), scrape_interval: `${opts.intervalSeconds}s`, scrape_timeout: `${opts.intervalSeconds}s`, evaluation_interval: `${opts.intervalSeconds}s` };
  cfg.rule_files = (cfg.rule_files ?? []).map((f) => path.resolve(PROMETHEUS_DIR, f));
  cfg.scrape_configs = cfg.scrape_configs
    .filter((sc) => !(opts.dropJobs ?? []).includes(sc.job_name))
    .map((sc) => ({
      ...sc,
      static_configs: sc.static_configs.map((st) => ({
        ...st,
        targets: st.targets.map((t) => {
          const port = Number(t.slice(t.lastIndexOf(':') + 1));
          if (sc.job_name === 'prometheus') return `127.0.0.1:${selfPort}`;
          const mapped = ports.get(port);
          if (mapped === undefined) throw new Error(`prometheus.yml target ${t} (job ${sc.job_name}): no listener with default port ${port}`);
          return `127.0.0.1:${mapped}`;
        }),
      })),
    }));
  return YAML.stringify(cfg);
}

// --- Grafana dashboards and their queries -------------------------------------------------------------------

interface GrafanaTarget {
  refId: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
export interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: GrafanaTarget[];
  panels?: GrafanaPanel[];
}
interface GrafanaVariable {
  name: string;
  type: string;
  query?: string;
  current?: { value?: string | string[] };
}
export interface GrafanaDashboard {
  uid: string;
  title: string;
  panels: GrafanaPanel[];
  templating?: { list: GrafanaVariable[] };
}

export function readDashboards(): Array<{ file: string; dashboard: GrafanaDashboard }> {
  return fs
    .readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, dashboard: JSON.parse(fs.readFileSync(path.join(DASHBOARD_DIR, file), 'utf8')) as GrafanaDashboard }));
}

/** Every panel, rows' nested panels included. */
export function allPanels(d: GrafanaDashboard): GrafanaPanel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  /** As written in the dashboard. */
  raw: string;
  /** Grafana variables replaced the way Grafana would at the default selection. */
  expr: string;
}

/**
 * Replaces Grafana's variables: `$__rate_interval` and `$__interval` by `rateInterval`, `$__range` by 1h, and
 * the dashboard's own variables by their default value. An unknown variable is an error.
 */
export function substituteVariables(expr: string, d: GrafanaDashboard, rateInterval: string): string {
  const vars = new Map<string, string>();
  for (const v of d.templating?.list ?? []) {
    const cur = v.current?.value;
    const value = Array.isArray(cur) ? cur[0] : cur ?? v.query ?? '';
    vars.set(v.name, value);
  }
  return expr.replace(/\$\{?(__rate_interval|__interval|__range|[A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, name: string) => {
    if (name === '__rate_interval' || name === '__interval') return rateInterval;
    if (name === '__range') return '1h';
    const v = vars.get(name);
    if (v === undefined) throw new Error(`dashboard ${d.uid}: query uses the unknown variable $${name}: ${expr}`);
    return v;
  });
}

export function panelQueries(rateInterval: string): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const { dashboard: d } of readDashboards()) {
    for (const p of allPanels(d)) {
      for (const t of p.targets ?? []) {
        if (!t.expr) continue;
        out.push({ dashboard: d.uid, panel: p.title, refId: t.refId, raw: t.expr, expr: substituteVariables(t.expr, d, rateInterval) });
      }
    }
  }
  return out;
}

/** Parses PromQL with the official grammar: the error nodes' positions and the metric names it selects. */
export function parsePromQL(expr: string): { errors: number[]; metricNames: string[] } {
  const tree = parser.parse(expr);
  const errors: number[] = [];
  const metricNames: string[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(node.from);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') metricNames.push(expr.slice(node.from, node.to));
    },
  });
  return { errors, metricNames };
}

/** Names of the recording rules (`record:`) of prometheus/rules. */
export function recordedNames(): Set<string> {
  const names = new Set<string>();
  const dir = path.join(PROMETHEUS_DIR, 'rules');
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.yml'))) {
    const doc = YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { groups: Array<{ rules: Array<{ record?: string }> }> };
    for (const g of doc.groups) for (const r of g.rules) if (r.record) names.add(r.record);
  }
  return names;
}
