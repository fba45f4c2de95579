/**
 * Static checks of the deployment files: the environments' env files, docker-compose.yml (both Compose v2
 * and Debian's docker-compose 1.29 must accept it), the Dockerfile, the Grafana provisioning and dashboards,
 * and the README's tables. `docker-compose config` and promtool run in .ci/run; these catch the rest early.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { runCommand } from '@phoenix/runtime';
import { CORE_NODE_FLAGS } from '@phoenix/core';
import { LISTENERS, MONITORING, ROOT, allPanels, parsePromQL, readDashboards, readPrometheusYaml } from './helpers';

const ENVIRONMENTS = ['ci', 'development', 'production'];

function envFile(name: string): Map<string, string> {
  const vars = new Map<string, string>();
  const lines = fs.readFileSync(path.join(ROOT, 'environments', `${name}.env`), 'utf8').split('\n');
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(t);
    if (!m) throw new Error(`environments/${name}.env:${i + 1}: not KEY=value: ${line}`);
    vars.set(m[1], m[2]);
  });
  return vars;
}

describe('environments/*.env', () => {
  it('exist for development, production and ci, with the same variables', () => {
    expect(fs.readdirSync(path.join(ROOT, 'environments')).filter((f) => f.endsWith('.env')).sort()).toEqual(ENVIRONMENTS.map((e) => `${e}.env`));
    const keys = ENVIRONMENTS.map((e) => [...envFile(e).keys()].sort());
    expect(keys[1]).toEqual(keys[0]);
    expect(keys[2]).toEqual(keys[0]);
  });

  it('use only what both npm start and compose read the same way: no quotes, no inline comments, no spaces', () => {
    for (const e of ENVIRONMENTS) {
      for (const [k, v] of envFile(e)) {
        expect(`${e}: ${k}=${v}`).not.toMatch(/=.*["'\s#]/);
      }
      expect(envFile(e).get('PHOENIX_ENV')).toBe(e);
    }
  });

  it('hold every listener with its default port, the budget, prices and intervals', () => {
    for (const e of ENVIRONMENTS) {
      const v = envFile(e);
      for (const l of LISTENERS) expect(`${e}: ${l.env}=${v.get(l.env)}`).toBe(`${e}: ${l.env}=${l.defaultPort}`);
      for (const k of ['PHOENIX_TARGET_SERIES', 'PHOENIX_PRICE_PER_SERIES_MONTH', 'PHOENIX_PRICE_PER_MILLION_SAMPLES', 'PHOENIX_OBSERVER_INTERVAL_SECONDS', 'PHOENIX_CONTROL_INTERVAL_SECONDS', 'PHOENIX_CONTROL_DWELL_SECONDS']) {
        expect(Number(v.get(k))).toBeGreaterThan(0);
      }
    }
  });

  it('carry placeholders, never secrets: tokens say so, production says CHANGE_ME', () => {
    for (const e of ENVIRONMENTS) {
      const v = envFile(e);
      const token = v.get('PHOENIX_API_TOKEN')!;
      expect(token.length).toBeGreaterThanOrEqual(16); // phoenix-control's minimum
      expect(token).toMatch(e === 'production' ? /^CHANGE_ME/ : /not-a-secret$/);
      expect(v.get('GF_SECURITY_ADMIN_PASSWORD')).toMatch(e === 'production' ? /^CHANGE_ME/ : /not-a-secret$/);
    }
  });
});

interface ComposeService {
  build?: { context: string; dockerfile: string; args: Record<string, string> };
  image?: string;
  env_file?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  read_only?: boolean;
}

describe('docker-compose.yml', () => {
  const compose = YAML.parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    name?: string;
    services: Record<string, ComposeService>;
    volumes: Record<string, unknown>;
  };
  const phoenix = ['phoenix-core', 'phoenix-control', 'phoenix-generators', 'phoenix-validation', 'phoenix-api', 'phoenix-agent'];

  it('has the Phoenix services, the fleet (PostgreSQL, Pushgateway), Prometheus and Grafana, no top-level name and no empty profiles (docker-compose 1.29 rejects both)', () => {
    expect(compose.name).toBeUndefined();
    expect(Object.keys(compose.services).sort()).toEqual([...phoenix, 'grafana', 'postgres', 'prometheus', 'pushgateway'].sort());
    for (const [name, s] of Object.entries(compose.services)) {
      if (s.profiles !== undefined) expect(`${name}: ${s.profiles.length}`).not.toBe(`${name}: 0`);
    }
    expect(compose.services.grafana.profiles).toEqual(['grafana']);
    for (const s of [...phoenix, 'postgres', 'prometheus', 'pushgateway']) expect(compose.services[s].profiles).toBeUndefined();
  });

  it('launches phoenix-core with the V8 flags of modules/phoenix-core/src/nodeFlags.ts', () => {
    expect(compose.services['phoenix-core'].environment?.NODE_OPTIONS).toBe(CORE_NODE_FLAGS.join(' '));
  });

  it('gives every service a healthcheck and waits on healthy dependencies only', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      expect(`${name}: ${s.healthcheck?.test[0]}`).toBe(`${name}: CMD`);
      for (const [dep, d] of Object.entries(s.depends_on ?? {})) {
        expect(`${name} -> ${dep}: ${d.condition}`).toBe(`${name} -> ${dep}: service_healthy`);
        expect(compose.services[dep]).toBeDefined();
      }
    }
  });

  it('builds each Phoenix service from the one Dockerfile, on parametrised base images', () => {
    for (const name of phoenix) {
      const s = compose.services[name];
      expect(s.build).toMatchObject({ context: '.', dockerfile: 'docker/Dockerfile', args: { MODULE: name, PHOENIX_NODE_IMAGE: '${PHOENIX_NODE_IMAGE:-node:20-bookworm-slim}' } });
      expect(s.env_file).toEqual(['./environments/${PHOENIX_ENV:-development}.env']);
      expect(s.environment?.PHOENIX_BIND_ADDRESS).toBe('0.0.0.0');
      expect(s.read_only).toBe(true);
    }
    expect(compose.services.prometheus.image).toMatch(/^\$\{PROMETHEUS_IMAGE:-prom\/prometheus:/);
    expect(compose.services.grafana.image).toMatch(/^\$\{GRAFANA_IMAGE:-grafana\/grafana:/);
  });

  it('shares the control file between control (writer) and core (read-only), and keeps SQLite and Prometheus data in named volumes', () => {
    expect(compose.services['phoenix-control'].volumes).toContain('control-file:/var/lib/phoenix/control');
    expect(compose.services['phoenix-core'].volumes).toContain('control-file:/var/lib/phoenix/control:ro');
    expect(compose.services['phoenix-control'].volumes).toContain('control-data:/var/lib/phoenix/data');
    expect(compose.services['phoenix-validation'].volumes).toContain('validation-data:/var/lib/phoenix/data');
    expect(compose.services.prometheus.volumes).toContain('prometheus-data:/prometheus');
    expect(compose.services.postgres.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(compose.services['phoenix-agent'].volumes).toContain('agent-data:/var/lib/phoenix/data');
    expect(compose.services['phoenix-api'].environment?.PHOENIX_DATABASE_URL).toMatch(/^postgres:\/\/phoenix:.+@postgres:5432\/phoenix$/);
    expect(Object.keys(compose.volumes).sort()).toEqual(['agent-data', 'control-data', 'control-file', 'grafana-data', 'postgres-data', 'prometheus-data', 'validation-data']);
  });

  it('publishes every listener on the host through the same port variables, on loopback by default', () => {
    const published = Object.values(compose.services).flatMap((s) => s.ports ?? []);
    for (const l of LISTENERS) expect(published).toContain(`\${PHOENIX_PUBLISH_ADDRESS:-127.0.0.1}:\${${l.env}:-${l.defaultPort}}:${l.defaultPort}`);
  });

  it('matches prometheus.yml: every target is a compose service listening on that port', () => {
    const listens = (service: string, port: number): boolean => {
      const env = compose.services[service]?.environment ?? {};
      if (service === 'prometheus') return port === 9090;
      if (service === 'pushgateway') return port === 9091 && compose.services.pushgateway !== undefined;
      return LISTENERS.some((l) => l.defaultPort === port && env[l.env] === String(port));
    };
    for (const sc of readPrometheusYaml().scrape_configs) {
      for (const st of sc.static_configs) {
        for (const t of st.targets) {
          const [host, port] = t.split(':');
          const service = host === 'localhost' ? sc.job_name : host;
          expect(`${sc.job_name} ${t}: ${listens(service, Number(port))}`).toBe(`${sc.job_name} ${t}: true`);
        }
      }
    }
  });
});

describe('docker/Dockerfile', () => {
  const text = fs.readFileSync(path.join(ROOT, 'docker/Dockerfile'), 'utf8');
  it('is multi-stage on a parametrised base, installs from the lockfile and runs as a non-root user', () => {
    expect(text).toMatch(/^ARG PHOENIX_NODE_IMAGE=node:20-bookworm-slim$/m);
    expect((text.match(/^FROM /gm) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/npm ci\b/);
    expect(text).toMatch(/npm prune --omit=dev/);
    const runtime = text.slice(text.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER phoenix$/m);
    // the production placeholder token is refused, as by npm start
    expect(runtime).toMatch(/production:\*CHANGE_ME\*\) .*exit 2;; esac; exec node \/app\/main\.js/);
    // classic builder compatible (docker.io 20.10 / docker-compose 1.29): no BuildKit-only syntax
    expect(text).not.toMatch(/^RUN --mount|<<-?EOF|^# syntax=/m);
  });
});

describe('Grafana provisioning and dashboards', () => {
  it('the JSON files are what generate-dashboards.js produces', async () => {
    const r = await runCommand(process.execPath, { args: [path.join(MONITORING, 'grafana/generate-dashboards.js'), '--check'] });
    expect(`${r.code} ${r.stderr}`).toBe('0 ');
  });

  it('has the five dashboards, unique uids and panel ids, every query on the datasource variable', () => {
    const boards = readDashboards();
    expect(boards.map((b) => b.dashboard.uid).sort()).toEqual(['phoenix-benchmarks', 'phoenix-control-loop', 'phoenix-fleet', 'phoenix-overview', 'phoenix-pipelines']);
    const datasource = YAML.parse(fs.readFileSync(path.join(MONITORING, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as { datasources: Array<{ uid: string; type: string }> };
    for (const { dashboard: d } of boards) {
      const panels = allPanels(d);
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      const dsVar = d.templating?.list.find((v) => v.name === 'datasource') as { current?: { value?: string } } | undefined;
      expect(dsVar?.current?.value).toBe(datasource.datasources[0].uid);
      for (const p of panels.filter((x) => x.type !== 'row')) {
        expect(`${d.uid}/${p.title}: ${p.datasource?.uid}`).toBe(`${d.uid}/${p.title}: \${datasource}`);
        expect((p.targets ?? []).length).toBeGreaterThan(0);
        for (const t of p.targets ?? []) expect(parsePromQL((t.expr ?? '').replace(/\$\w+/g, '1')).errors).toEqual([]);
      }
    }
  });

  it('the dashboard provider points where docker-compose.yml mounts the dashboards', () => {
    const prov = YAML.parse(fs.readFileSync(path.join(MONITORING, 'grafana/provisioning/dashboards/phoenix.yml'), 'utf8')) as { providers: Array<{ options: { path: string } }> };
    const compose = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`./modules/phoenix-monitoring/grafana/dashboards:${prov.providers[0].options.path}:ro`);
  });
});

describe('README', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  it('documents every variable of the env files and every port', () => {
    const keys = new Set(ENVIRONMENTS.flatMap((e) => [...envFile(e).keys()]));
    expect([...keys].filter((k) => !readme.includes(`\`${k}\``))).toEqual([]);
    expect(LISTENERS.filter((l) => !readme.includes(`| ${l.defaultPort} |`)).map((l) => l.defaultPort)).toEqual([]);
    for (const v of ['PHOENIX_ENV', 'PHOENIX_NODE_IMAGE', 'PROMETHEUS_IMAGE', 'PUSHGATEWAY_IMAGE', 'POSTGRES_IMAGE', 'GRAFANA_IMAGE', 'PHOENIX_PUBLISH_ADDRESS', 'PHOENIX_POSTGRES_PASSWORD', 'PHOENIX_HOST_ID']) expect(readme).toContain(`\`${v}\``);
  });
});
