import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './freePort';
import { waitFor } from './waitFor';

/**
 * Test harness around the real Prometheus server and promtool (Debian package `prometheus`).
 * Nothing here skips silently: when a binary is missing the helpers throw, and the error says how to install it.
 */

export type PrometheusBinary = 'prometheus' | 'promtool';

const EXTRA_DIRS = ['/usr/bin', '/usr/local/bin'];

/** Where `name` is: the first executable match on PATH, then /usr/bin and /usr/local/bin. */
export function findPrometheusBinary(name: PrometheusBinary, searchDirs?: string[]): string | undefined {
  const dirs = searchDirs ?? [...(process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== ''), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Like findPrometheusBinary, but throws an installation hint when the binary is missing. */
export function requirePrometheusBinary(name: PrometheusBinary, searchDirs?: string[]): string {
  const found = findPrometheusBinary(name, searchDirs);
  if (found) return found;
  throw new Error(
    `${name} was not found on PATH or in ${EXTRA_DIRS.join(', ')}. The Phoenix tests run the real Prometheus; ` +
      `install it with \`apt-get install prometheus\` (Debian/Ubuntu; the package provides both prometheus and promtool).`,
  );
}

/** Runs a binary with `input` on stdin; resolves with its exit code and combined stdout+stderr. */
function run(bin: string, args: string[], input: string, timeoutMs = 30_000): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const keep = (b: Buffer): void => {
      output += b.toString();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
    child.stdin.on('error', () => undefined); // promtool may exit before reading all of stdin
    child.stdin.end(input);
  });
}

/**
 * `promtool check metrics` over an exposition in the text format (on stdin).
 * promtool exits 0 when clean, 1 on a parse error (malformed line, duplicate TYPE, ...) and 3 on lint
 * problems only (e.g. missing HELP, a counter without `_total`); `output` holds its messages.
 */
export function promtoolCheckMetrics(text: string): Promise<{ code: number; output: string }> {
  return run(requirePrometheusBinary('promtool'), ['check', 'metrics'], text);
}

/** Any promtool subcommand (e.g. `['check', 'rules', file]`), for suites that lint shipped configuration. */
export function promtool(args: string[], input = ''): Promise<{ code: number; output: string }> {
  return run(requirePrometheusBinary('promtool'), args, input);
}

/** One scrape job of a generated configuration. Targets are `host:port`. */
export interface ScrapeConfig {
  job: string;
  targets: string[];
  metricsPath?: string;
}

export interface StartPrometheusOptions {
  scrapeConfigs: ScrapeConfig[];
  /** scrape_interval and evaluation_interval (default 1 s). */
  scrapeIntervalSeconds?: number;
  /** Rule files to load; relative paths are resolved against the current directory. */
  ruleFiles?: string[];
  /**
   * A complete prometheus.yml, used verbatim instead of the generated one (`scrapeConfigs`, `ruleFiles` and
   * `scrapeIntervalSeconds` are then ignored). Relative paths in it resolve against the temp directory, so use absolute ones.
   */
  configYaml?: string;
  /** How long to wait for `/-/ready` (default 30 s). */
  readyTimeoutMs?: number;
  /** Extra command-line flags for the prometheus binary. */
  extraArgs?: string[];
}

/** One element of an instant-query result (a scalar result is returned as one element with no labels). */
export interface PromSample {
  metric: Record<string, string>;
  /** Sample value; `+Inf`, `-Inf` and `NaN` are mapped to the JavaScript numbers. */
  value: number;
  /** Evaluation timestamp, seconds since the epoch. */
  timestamp: number;
}

/** An active scrape target as reported by `/api/v1/targets`. */
export interface PromTarget {
  job: string;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrape: string;
  labels: Record<string, string>;
  discoveredLabels: Record<string, string>;
}

export interface PrometheusHandle {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** The temp directory holding prometheus.yml and the TSDB (removed by stop()). */
  dir: string;
  /** The configuration Prometheus was started with. */
  configYaml: string;
  /** PromQL instant query; throws on an API error or a non-instant (matrix/string) result. */
  query(promql: string): Promise<PromSample[]>;
  /** The value of an instant query that yields at most one series: undefined when empty, throws when several. */
  queryValue(promql: string): Promise<number | undefined>;
  /** Polls queryValue until `predicate` holds; resolves with that value, or throws with diagnostics after `timeoutMs`. */
  waitForValue(
    promql: string,
    predicate: (value: number | undefined) => boolean,
    timeoutMs?: number,
  ): Promise<number | undefined>;
  /** The active scrape targets with their health. */
  targets(): Promise<PromTarget[]>;
  /** Prometheus' own log so far (for failure messages). */
  output(): string;
  /** Stops Prometheus (SIGTERM, then SIGKILL) and removes the temp directory. Idempotent. */
  stop(): Promise<void>;
}

function yamlString(s: string): string {
  return JSON.stringify(s); // a JSON string literal is a valid YAML double-quoted scalar
}

/** The prometheus.yml that startPrometheus generates. */
export function buildPrometheusConfig(opts: Pick<StartPrometheusOptions, 'scrapeConfigs' | 'scrapeIntervalSeconds' | 'ruleFiles'>): string {
  const interval = opts.scrapeIntervalSeconds ?? 1;
  if (!(interval > 0)) throw new Error(`scrapeIntervalSeconds must be > 0, got ${interval}`);
  const timeout = Math.min(interval, 10);
  const lines = [
    'global:',
    `  scrape_interval: ${interval}s`,
    `  scrape_timeout: ${timeout}s`,
    `  evaluation_interval: ${interval}s`,
  ];
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

function parsePromValue(v: string): number {
  if (v === '+Inf' || v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  if (v === 'NaN') return NaN;
  return Number(v);
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
}

async function apiGet<T>(base: string, pathAndQuery: string): Promise<T> {
  const res = await fetch(`${base}${pathAndQuery}`);
  const body = await res.text();
  let parsed: ApiResponse<T>;
  try {
    parsed = JSON.parse(body) as ApiResponse<T>;
  } catch {
    throw new Error(`Prometheus ${pathAndQuery}: HTTP ${res.status}, not JSON: ${body.slice(0, 500)}`);
  }
  if (parsed.status !== 'success' || parsed.data === undefined) {
    throw new Error(`Prometheus ${pathAndQuery}: HTTP ${res.status} ${parsed.errorType ?? ''}: ${parsed.error ?? body.slice(0, 500)}`);
  }
  return parsed.data;
}

type QueryData =
  | { resultType: 'vector'; result: Array<{ metric: Record<string, string>; value: [number, string] }> }
  | { resultType: 'scalar'; result: [number, string] }
  | { resultType: 'matrix' | 'string'; result: unknown };

interface ActiveTargetJson {
  scrapePool: string;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrape: string;
  labels: Record<string, string>;
  discoveredLabels: Record<string, string>;
}

interface Launched {
  child: ChildProcess;
  port: number;
  exited: () => number | string | null | undefined;
  exitPromise: Promise<number | string | null>;
  output: () => string;
}

function launch(bin: string, args: string[]): Omit<Launched, 'port'> {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer): void => {
    out += b.toString();
    if (out.length > 400_000) out = out.slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | string | null | undefined;
  const exitPromise = new Promise<number | string | null>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = code ?? signal;
      resolve(exited);
    });
    child.on('error', (err) => {
      out += `\nspawn error: ${err.message}\n`;
      exited = 'spawn-error';
      resolve(exited);
    });
  });
  return { child, exited: () => exited, exitPromise, output: () => out };
}

function tail(s: string, n = 4000): string {
  return s.length > n ? `…${s.slice(-n)}` : s;
}

/**
 * Starts a real Prometheus on a free 127.0.0.1 port with its own temp directory (config + TSDB), and waits
 * until `/-/ready`. Always `stop()` it (e.g. in afterAll); a process-exit hook kills it if a test forgets.
 *
 * Ready is not scraped: Prometheus (2.x) hands targets to the scrape manager about 5 s after start, whatever
 * the scrape interval, so wait for data with `waitForValue` rather than a fixed sleep.
 */
export async function startPrometheus(opts: StartPrometheusOptions): Promise<PrometheusHandle> {
  const bin = requirePrometheusBinary('prometheus');
  const configYaml = opts.configYaml ?? buildPrometheusConfig(opts);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-prometheus-'));
  const configFile = path.join(dir, 'prometheus.yml');
  const dataDir = path.join(dir, 'data');
  fs.writeFileSync(configFile, configYaml);
  fs.mkdirSync(dataDir);

  let current: Launched | undefined;
  const onExit = (): void => {
    current?.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  const cleanup = async (): Promise<void> => {
    if (current && current.exited() === undefined) {
      current.child.kill('SIGTERM');
      const timer = setTimeout(() => current?.child.kill('SIGKILL'), 5000);
      await current.exitPromise;
      clearTimeout(timer);
    }
    process.removeListener('exit', onExit);
    await fs.promises.rm(dir, { recursive: true, force: true });
  };

  // The port is free when freePort() returns but could be taken before Prometheus binds it: retry a few times.
  let lastFailure = '';
  for (let attempt = 0; attempt < 3 && !current; attempt++) {
    const port = await freePort();
    const args = [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      ...(opts.extraArgs ?? []),
    ];
    const launched: Launched = { ...launch(bin, args), port };
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor(
        async () => {
          if (launched.exited() !== undefined) throw new Error(`prometheus exited (${String(launched.exited())})`);
          const res = await fetch(`${url}/-/ready`).catch(() => undefined);
          return res?.status === 200;
        },
        { timeoutMs: opts.readyTimeoutMs ?? 30_000, intervalMs: 100, what: `Prometheus at ${url} to be ready` },
      );
      current = launched;
    } catch (err) {
      lastFailure = `${(err as Error).message}\n--- prometheus ${args.join(' ')} ---\n${tail(launched.output())}`;
      if (launched.exited() === undefined) {
        launched.child.kill('SIGKILL');
        await launched.exitPromise;
      }
      if (!/address already in use/i.test(launched.output())) break;
    }
  }
  if (!current) {
    await cleanup();
    throw new Error(`could not start Prometheus: ${lastFailure}\n--- config ---\n${configYaml}`);
  }

  const started = current;
  const url = `http://127.0.0.1:${started.port}`;

  const query = async (promql: string): Promise<PromSample[]> => {
    const data = await apiGet<QueryData>(url, `/api/v1/query?query=${encodeURIComponent(promql)}`);
    if (data.resultType === 'vector') {
      return data.result.map((r) => ({ metric: r.metric, value: parsePromValue(r.value[1]), timestamp: r.value[0] }));
    }
    if (data.resultType === 'scalar') {
      return [{ metric: {}, value: parsePromValue(data.result[1]), timestamp: data.result[0] }];
    }
    throw new Error(`query ${promql} returned a ${data.resultType}, expected an instant vector or scalar`);
  };

  const queryValue = async (promql: string): Promise<number | undefined> => {
    const result = await query(promql);
    if (result.length === 0) return undefined;
    if (result.length > 1) {
      throw new Error(`query ${promql} returned ${result.length} series, expected at most one: ${JSON.stringify(result)}`);
    }
    return result[0].value;
  };

  const targets = async (): Promise<PromTarget[]> => {
    const data = await apiGet<{ activeTargets: ActiveTargetJson[] }>(url, '/api/v1/targets?state=active');
    return data.activeTargets.map((t) => ({
      job: t.labels.job ?? t.scrapePool,
      scrapeUrl: t.scrapeUrl,
      health: t.health,
      lastError: t.lastError,
      lastScrape: t.lastScrape,
      labels: t.labels,
      discoveredLabels: t.discoveredLabels,
    }));
  };

  const waitForValue = async (
    promql: string,
    predicate: (value: number | undefined) => boolean,
    timeoutMs = 30_000,
  ): Promise<number | undefined> => {
    let last: number | undefined | 'error';
    try {
      const box = await waitFor(
        async () => {
          last = 'error';
          const v = await queryValue(promql);
          last = v;
          return predicate(v) ? { v } : undefined;
        },
        { timeoutMs, intervalMs: 200, what: `PromQL ${promql} to satisfy the predicate` },
      );
      return box.v;
    } catch (err) {
      const ts = await targets().catch((e: Error) => `(targets unavailable: ${e.message})`);
      const summary =
        typeof ts === 'string'
          ? ts
          : ts.map((t) => `${t.job} ${t.scrapeUrl} ${t.health}${t.lastError ? ` (${t.lastError})` : ''}`).join('\n');
      throw new Error(
        `${(err as Error).message}; last value: ${String(last)}\n--- targets ---\n${summary}\n--- prometheus log ---\n${tail(started.output(), 2000)}`,
      );
    }
  };

  let stopping: Promise<void> | undefined;
  return {
    url,
    port: started.port,
    dir,
    configYaml,
    query,
    queryValue,
    waitForValue,
    targets,
    output: () => started.output(),
    stop: () => (stopping ??= cleanup()),
  };
}
