/**
 * The whole stack without Docker, the way `npm start` runs it (scripts/start.js, environment `ci`, on free
 * loopback ports), plus a real Prometheus (Debian package) loaded with the project's prometheus.yml (targets
 * moved to those ports) and its recording and alert rules:
 *
 * - every service comes up healthy and the supervisor prints its endpoints;
 * - Prometheus scrapes every target of prometheus.yml, and every rule loads and evaluates without error;
 * - every query of every Grafana dashboard panel parses with the PromQL grammar, names only metrics that
 *   exist (scraped metadata or a recording rule), and returns data from that Prometheus;
 * - a crashed service is restarted; Ctrl-C stops everything (no process left, no port open, control file
 *   intact, no temp file left).
 *
 * Needs the build (`npm run build`, which `npm test` runs first) and Debian's prometheus.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { startPrometheus, startPushgateway, waitFor, type PrometheusHandle, type PushgatewayHandle } from '@phoenix/testkit';
import { freePorts, processAlive } from '@phoenix/runtime';
import {
  LISTENERS,
  ROOT,
  VALIDATION_IN_REPO,
  listening,
  loopbackPrometheusYaml,
  panelQueries,
  parsePromQL,
  recordedNames,
  startSupervisor,
  type Supervisor,
} from './helpers';

jest.setTimeout(120_000);

const SERVICES = ['phoenix-core', 'phoenix-control', 'phoenix-api', 'phoenix-agent', 'phoenix-generators', ...(VALIDATION_IN_REPO ? ['phoenix-validation'] : [])];
/** Metrics Prometheus makes itself (no metadata). */
const SYNTHETIC = new Set(['up', 'scrape_samples_scraped', 'scrape_duration_seconds', 'scrape_series_added', 'scrape_samples_post_metric_relabeling', 'ALERTS', 'ALERTS_FOR_STATE']);

describe('the stack as npm start runs it, with a real Prometheus and the monitoring rules', () => {
  let dataDir: string;
  let ports: Map<number, number>;
  let env: Record<string, string>;
  let stack: Supervisor | undefined;
  let prom: PrometheusHandle | undefined;
  let pushgateway: PushgatewayHandle | undefined;

  beforeAll(async () => {
    for (const s of SERVICES) {
      const main = path.join(ROOT, 'modules', s, 'dist', 'main.js');
      if (!fs.existsSync(main)) throw new Error(`${path.relative(ROOT, main)} is missing: run npm run build first`);
    }
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-stack-'));
    const listeners = LISTENERS;
    const free = await freePorts(listeners.length);
    ports = new Map(listeners.map((l, i) => [l.defaultPort, free[i]]));
    env = {
      PHOENIX_ENV: 'ci',
      PHOENIX_DATA_DIR: dataDir,
      PHOENIX_BIND_ADDRESS: '127.0.0.1',
      PHOENIX_LOG_LEVEL: 'warn',
      // nothing of the shell's own settings may leak into the stack under test
      PHOENIX_CONTROL_FILE: '',
      PHOENIX_CORE_URL: '',
      PHOENIX_CONTROL_URL: '',
      PHOENIX_GENERATORS_URL: '',
      PHOENIX_API_URL: '',
      PHOENIX_HOST_ID: '',
      PHOENIX_DATABASE_URL: '',
      PHOENIX_START_ONLY: '',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      PROMETHEUS_URL: '',
    };
    for (const l of listeners) env[l.env] = String(ports.get(l.defaultPort));
    // the agent pushes its host's KPIs to a real Pushgateway, which Prometheus scrapes (job pushgateway, :9091)
    pushgateway = await startPushgateway();
    ports.set(9091, pushgateway.port);
    env.PHOENIX_PUSHGATEWAY_URL = pushgateway.url;
    env.PHOENIX_AGENT_METRICS_INTERVAL_SECONDS = '2';
    stack = startSupervisor(env);
    await stack.waitForOutput(new RegExp(`\\[phoenix\\] ready: ${SERVICES.length}/${SERVICES.length} services healthy`), 60_000);

    // Prometheus: its own port is known once it runs, so its self-scrape target is set by a reload.
    const draft = loopbackPrometheusYaml(ports, 9090, { intervalSeconds: 1, dropJobs: VALIDATION_IN_REPO ? [] : ['phoenix-validation'] });
    prom = await startPrometheus({ scrapeConfigs: [], configYaml: draft });
    const final = loopbackPrometheusYaml(ports, prom.port, { intervalSeconds: 1, dropJobs: VALIDATION_IN_REPO ? [] : ['phoenix-validation'] });
    fs.writeFileSync(path.join(prom.dir, 'prometheus.yml'), final);
    const reload = await fetch(`${prom.url}/-/reload`, { method: 'POST' });
    if (reload.status !== 200) throw new Error(`Prometheus reload: HTTP ${reload.status} ${await reload.text()}`);
  });

  afterAll(async () => {
    await prom?.stop();
    await pushgateway?.stop();
    await stack?.process.stop(); // SIGTERM, SIGKILL after 15 s
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts every service healthy on the chosen ports and prints their endpoints', async () => {
    const out = stack!.output();
    for (const s of SERVICES) expect(out).toContain(`[phoenix] ${s} healthy`);
    expect(out).toContain('[phoenix] environment ci (environments/ci.env)');
    const p = (def: number): number => ports.get(def)!;
    for (const endpoint of [
      `127.0.0.1:${p(4317)}`,
      `http://127.0.0.1:${p(4318)}/v1/metrics`,
      `http://127.0.0.1:${p(8892)}/metrics`,
      `http://127.0.0.1:${p(13133)}/health`,
      `http://127.0.0.1:${p(9888)}/metrics`,
      `http://127.0.0.1:${p(8080)}/api/v1/status`,
      `http://127.0.0.1:${p(8082)}/api/v1/load`,
      `http://127.0.0.1:${p(8084)}/api/v1/fleet`,
      `http://127.0.0.1:${p(8085)}/health`,
    ]) {
      expect(out).toContain(endpoint);
    }
    // one shared control file in the data directory: written by control, in force in the core
    const controlFile = path.join(dataDir, 'optimization_mode.yaml');
    await waitFor(() => fs.existsSync(controlFile), { timeoutMs: 20_000, what: 'the control file' });
    const doc = YAML.parse(fs.readFileSync(controlFile, 'utf8')) as { generation: number };
    const obs = await (await fetch(`http://127.0.0.1:${p(8891)}/metrics`)).text();
    expect(obs).toMatch(new RegExp(`^phoenix_control_generation ${doc.generation}$`, 'm'));
    // this host's agent registered with the embedded phoenix-api and reports the core's series
    const fleet = await waitFor(async () => {
      const f = (await (await fetch(`http://127.0.0.1:${p(8084)}/api/v1/fleet`)).json()) as { hosts: Array<{ host_id: string; status: string; series?: { full_fidelity?: number } }> };
      return f.hosts.length === 1 && f.hosts[0].status === 'healthy' && (f.hosts[0].series?.full_fidelity ?? 0) > 0 && f;
    }, { timeoutMs: 30_000, what: "the agent's KPIs at phoenix-api" });
    expect(fleet.hosts[0].host_id).toBe(os.hostname());
    // the generators run the steady profile against the core's gRPC port
    const load = (await (await fetch(`http://127.0.0.1:${p(8082)}/api/v1/load`)).json()) as { running: boolean; scenario: { name: string } | null };
    expect(load.running).toBe(true);
    expect(load.scenario?.name).toBe('steady');
  });

  it('Prometheus scrapes every target of prometheus.yml', async () => {
    const expectedJobs = ['phoenix-core', 'phoenix-pipelines', 'phoenix-observer', 'phoenix-control', 'phoenix-generators', 'phoenix-api', 'pushgateway', 'prometheus', ...(VALIDATION_IN_REPO ? ['phoenix-validation'] : [])];
    const targets = await waitFor(
      async () => {
        const ts = await prom!.targets();
        return ts.length >= expectedJobs.length + 3 && ts.every((t) => t.health === 'up') ? ts : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 500, what: 'every scrape target up' },
    ).catch(async (err: Error) => {
      const ts = await prom!.targets();
      throw new Error(`${err.message}\n${ts.map((t) => `${t.job} ${t.scrapeUrl} ${t.health} ${t.lastError}`).join('\n')}`);
    });
    expect([...new Set(targets.map((t) => t.job))].sort()).toEqual([...expectedJobs].sort());
    // the four pipeline endpoints, labelled with their pipeline
    expect(targets.filter((t) => t.job === 'phoenix-pipelines').map((t) => t.labels.pipeline).sort()).toEqual(['active', 'experimental_topk', 'full_fidelity', 'optimized']);
  });

  it('loads the recording and alert rules and evaluates them without error', async () => {
    interface Rule {
      name: string;
      health: string;
      lastError?: string;
      type: string;
    }
    const rules = await waitFor(
      async () => {
        const res = (await (await fetch(`${prom!.url}/api/v1/rules`)).json()) as { data: { groups: Array<{ name: string; rules: Rule[] }> } };
        const all = res.data.groups.flatMap((g) => g.rules);
        return all.length > 0 && all.every((r) => r.health !== 'unknown') ? { groups: res.data.groups, all } : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'every rule evaluated' },
    );
    expect(rules.groups.map((g) => g.name).sort()).toEqual(['phoenix.alerts', 'phoenix.recording']);
    expect(rules.all.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`)).toEqual([]);
    expect(rules.all.filter((r) => r.type === 'recording').map((r) => r.name).sort()).toEqual([...recordedNames()].sort());
    expect(rules.all.filter((r) => r.type === 'alerting').length).toBeGreaterThanOrEqual(5);
  });

  it('every Grafana panel query parses, names existing metrics and returns data', async () => {
    const queries = panelQueries('1m');
    expect(queries.length).toBeGreaterThan(20);
    // 1. the official PromQL grammar: no error node
    const parseErrors = queries
      .map((q) => ({ q, parsed: parsePromQL(q.expr) }))
      .filter(({ parsed }) => parsed.errors.length > 0)
      .map(({ q, parsed }) => `${q.dashboard} / ${q.panel} / ${q.refId}: error at ${parsed.errors.join(',')} in ${q.expr}`);
    expect(parseErrors).toEqual([]);

    // 2. every metric name exists: a recording rule, Prometheus' own, or in the scraped metadata
    const recorded = recordedNames();
    const metadata = (await (await fetch(`${prom!.url}/api/v1/metadata`)).json()) as { data: Record<string, unknown> };
    const family = (n: string): string => n.replace(/_(bucket|sum|count)$/, '');
    const unknown: string[] = [];
    for (const q of queries) {
      for (const name of parsePromQL(q.expr).metricNames) {
        const known = recorded.has(name) || SYNTHETIC.has(name) || name in metadata.data || family(name) in metadata.data;
        if (!known) unknown.push(`${q.dashboard} / ${q.panel}: ${name}`);
      }
    }
    expect(unknown).toEqual([]);

    // 3. data: every query returns at least one sample (rates and rules need a few scrapes: wait for them)
    let empty: string[] = [];
    await waitFor(
      async () => {
        empty = [];
        for (const q of queries) {
          const r = await prom!.query(q.expr).catch((e: Error) => {
            empty.push(`${q.dashboard} / ${q.panel} / ${q.refId}: ${e.message}`);
            return undefined;
          });
          if (r !== undefined && r.length === 0) empty.push(`${q.dashboard} / ${q.panel} / ${q.refId}: no data for ${q.expr}`);
        }
        return empty.length === 0;
      },
      { timeoutMs: 60_000, intervalMs: 1000, what: 'every panel query to return data' },
    ).catch(() => undefined);
    expect(empty).toEqual([]);
  });

  it('restarts a crashed service', async () => {
    const pid = stack!.pidOf('phoenix-generators')!;
    expect(processAlive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
    await stack!.waitForOutput(/\[phoenix\] phoenix-generators exited \(SIGKILL\); restarting in \d+ ms/, 10_000);
    await stack!.waitForOutput(/\[phoenix\] phoenix-generators healthy again/, 30_000);
    expect(stack!.pidOf('phoenix-generators')).not.toBe(pid);
    const res = await fetch(`http://127.0.0.1:${ports.get(8082)}/health`);
    expect(res.status).toBe(200);
  });

  it('stops every service on Ctrl-C, leaving no process, no open port and no temp file', async () => {
    const pids = SERVICES.map((s) => stack!.pidOf(s)!);
    expect(pids.every((p) => processAlive(p))).toBe(true);
    stack!.kill('SIGINT');
    const code = await stack!.exited;
    expect(code).toBe(0);
    expect(stack!.output()).toContain('[phoenix] stopped');
    expect(pids.filter((p) => processAlive(p))).toEqual([]);
    const open: number[] = [];
    for (const l of LISTENERS) {
      const port = ports.get(l.defaultPort)!;
      if (l.env === 'PHOENIX_VALIDATION_PORT' && !VALIDATION_IN_REPO) continue;
      if (await listening(port)) open.push(port);
    }
    expect(open).toEqual([]);
    // the control file is whole (it parses) and nothing half-written is left beside it
    const doc = YAML.parse(fs.readFileSync(path.join(dataDir, 'optimization_mode.yaml'), 'utf8')) as { version: number; mode: string };
    expect(doc.version).toBe(1);
    expect(['conservative', 'balanced', 'aggressive']).toContain(doc.mode);
    expect(fs.readdirSync(dataDir).filter((f) => /\.tmp|~$|\.partial/.test(f))).toEqual([]);
  });
});
