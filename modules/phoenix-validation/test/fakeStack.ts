import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadProfile, defaultProfilesDir } from '../src/catalog/catalog';
import { profileDuration } from '../src/catalog/schedule';
import type { ControlHistoryEntry, GeneratorsHostTruth, GeneratorsLoadStatus, GeneratorsScenarioList, GeneratorsTopProcess, GeneratorsTruth } from '@phoenix/contracts';

/**
 * One HTTP server standing in for the stack in API tests: the generators' load API and truth (/gen), the core's
 * observatory (/core/metrics) and outputs (/full, /topk, /active), and the control history (/control). The core
 * answers from the load: full_fidelity = hosts x processes x 7, and goes aggressive over 95% of the budget.
 */
export class FakeStack {
  server!: http.Server;
  port = 0;
  budget = 1000;
  load = { hosts: 1, processes_per_host: 1, churn_rate: 0, export_interval_seconds: 1, seed: 42 };
  running = false;
  startedAt = 0;
  /** Every mutating call the generators got. */
  calls: { method: string; path: string; body: unknown }[] = [];
  /** Answer 503 on the observatory (a core that went away). */
  coreDown = false;
  history: ControlHistoryEntry[] = [];
  private generation = 1;
  private lastMode = 'conservative';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => this.handle(req, res, body));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The environment phoenix-validation needs to use this stack. */
  env(): Record<string, string> {
    return {
      PHOENIX_CORE_URL: `${this.base}/core`,
      PHOENIX_FULL_FIDELITY_URL: `${this.base}/full/metrics`,
      PHOENIX_EXPERIMENTAL_TOPK_URL: `${this.base}/topk/metrics`,
      PHOENIX_ACTIVE_URL: `${this.base}/active/metrics`,
      PHOENIX_GENERATORS_URL: `${this.base}/gen`,
      PHOENIX_CONTROL_URL: `${this.base}/control`,
      PHOENIX_OBSERVER_URL: '',
    };
  }

  private seq(): number {
    if (!this.running) return 0;
    return 1 + Math.floor((Date.now() - this.startedAt) / (this.load.export_interval_seconds * 1000));
  }

  private full(): number {
    return this.running ? this.load.hosts * this.load.processes_per_host * 7 : 0;
  }

  private mode(): 'conservative' | 'aggressive' {
    const m = this.full() > this.budget * 0.95 ? 'aggressive' : 'conservative';
    if (m !== this.lastMode) {
      this.generation += 1;
      this.history.push({
        id: this.history.length + 1,
        at: new Date().toISOString(),
        kind: 'transition',
        from_mode: this.lastMode as 'conservative',
        to_mode: m,
        to_profile: 'balanced',
        to_k: 10,
        target_series: this.budget,
        source: 'actuator',
        reason: `fake actuator: ${m}`,
      });
      this.lastMode = m;
    }
    return m;
  }

  private status(): GeneratorsLoadStatus {
    return {
      running: this.running,
      source: this.running ? 'manual' : 'idle',
      load: { ...this.load },
      series_per_export: this.full(),
      scenario: null,
      exporter: { protocol: 'grpc', endpoint: 'http://127.0.0.1:4317' },
      exports: { ticks: this.seq(), ok: this.seq() * this.load.hosts, failed: 0, last_export_at: null, last_tick_seconds: 0.001 },
    };
  }

  private truth(): GeneratorsTruth {
    const seq = this.seq();
    const hosts = this.running ? this.load.hosts : 0;
    return {
      generated_at: new Date().toISOString(),
      running: this.running,
      seed: this.load.seed,
      export_interval_seconds: this.load.export_interval_seconds,
      series: this.full(),
      hosts: Array.from({ length: hosts }, (_, h) => ({
        host_name: `sim-host-${h + 1}`,
        service_name: 'phoenix-generators',
        export_seq: Math.max(1, seq),
        exported_at: new Date(this.startedAt + (Math.max(1, seq) - 1) * this.load.export_interval_seconds * 1000 + 1).toISOString(),
        processes: this.load.processes_per_host,
        series: this.load.processes_per_host * 7,
        cpu_rate_total: 1,
        metrics: [],
        top_processes: Array.from({ length: Math.min(3, this.load.processes_per_host) }, (_x, i): GeneratorsTopProcess => ({
          rank: i + 1,
          pid: 100 + i,
          executable_name: 'java',
          command_line: 'java -jar app.jar',
          owner: 'app',
          priority_class: 'high' as const,
          cpu_rate: 1 / (i + 1),
        })) as GeneratorsHostTruth['top_processes'],
        churn: { spawns: 0, exits: 0, restarts: 0, resets: 0 },
      })),
    };
  }

  private outputs(): string {
    const seq = this.seq();
    const lines: string[] = [];
    const hosts = this.running ? this.load.hosts : 0;
    for (let h = 0; h < hosts; h++) {
      for (let i = 0; i < Math.min(3, this.load.processes_per_host); i++) {
        lines.push(`process_cpu_time_seconds_total{host_name="sim-host-${h + 1}",process_pid="${100 + i}",process_executable_name="java",state="user"} ${seq * (i + 1)}`);
      }
      lines.push(`process_cpu_time_seconds_total{host_name="sim-host-${h + 1}",phoenix_rollup="others",state="user"} 1`);
    }
    return lines.join('\n') + '\n';
  }

  private observatory(): string {
    const full = this.full();
    const mode = this.mode();
    const topk = Math.min(full, this.load.hosts * 7 * 12);
    const active = mode === 'aggressive' ? 'experimental_topk' : 'full_fidelity';
    return [
      `phoenix_pipeline_series{pipeline="full_fidelity"} ${full}`,
      `phoenix_pipeline_series{pipeline="optimized"} ${Math.round(full * 0.4)}`,
      `phoenix_pipeline_series{pipeline="experimental_topk"} ${topk}`,
      ...['full_fidelity', 'optimized', 'experimental_topk'].map((p) => `phoenix_pipeline_totals_preservation_ratio{pipeline="${p}"} 1`),
      ...['full_fidelity', 'optimized', 'experimental_topk'].map((p) => `phoenix_active_pipeline_info{pipeline="${p}"} ${p === active ? 1 : 0}`),
      `phoenix_control_mode_info{mode="${mode}",profile="balanced"} 1`,
      'phoenix_control_topk_k 10',
      `phoenix_control_target_series ${this.budget}`,
      `phoenix_control_generation ${this.generation}`,
      `process_cpu_seconds_total ${(Date.now() % 100000) / 1000}`,
      'process_resident_memory_bytes 100000000',
      '',
    ].join('\n');
  }

  private scenarios(): GeneratorsScenarioList {
    const names = ['steady', 'spike', 'gradual_growth', 'wave', 'churn_storm'];
    return {
      scenarios: names.map((n) => {
        const p = loadProfile(defaultProfilesDir(), n);
        return {
          name: n,
          description: p.description ?? n,
          hosts: p.hosts,
          processes_per_host: p.processes_per_host,
          export_interval_seconds: p.export_interval_seconds,
          duration_seconds: profileDuration(p),
          phases: p.phases.map((x) => x.name),
        };
      }),
    };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const url = (req.url ?? '').split('?')[0];
    const json = (status: number, v: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    const text = (v: string): void => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(v);
    };
    if (req.method === 'GET' && url === '/core/metrics') {
      if (this.coreDown) {
        res.writeHead(503);
        res.end('down');
        return;
      }
      return text(this.observatory());
    }
    if (req.method === 'GET' && (url === '/full/metrics' || url === '/topk/metrics' || url === '/active/metrics')) return text(this.outputs());
    if (req.method === 'GET' && url === '/gen/api/v1/scenarios') return json(200, this.scenarios());
    if (req.method === 'GET' && url === '/gen/api/v1/load') return json(200, this.status());
    if (req.method === 'GET' && url === '/gen/api/v1/truth') return json(200, this.truth());
    if (req.method === 'PUT' && url === '/gen/api/v1/load') {
      const b = JSON.parse(body) as Partial<FakeStack['load']>;
      this.calls.push({ method: 'PUT', path: url, body: b });
      if (!this.running) this.startedAt = Date.now();
      this.load = { ...this.load, ...b };
      this.running = true;
      return json(200, this.status());
    }
    if (req.method === 'POST' && url === '/gen/api/v1/load/stop') {
      this.calls.push({ method: 'POST', path: url, body: undefined });
      this.running = false;
      return json(200, this.status());
    }
    if (req.method === 'GET' && url === '/control/api/v1/history') return json(200, { entries: [...this.history].reverse() });
    json(404, { error: 'no such route' });
  }
}
