/**
 * A deterministic synthetic process-metrics workload (seeded PRNG): hosts × processes with
 * heavy-tailed CPU, executables from a catalog spanning the four priority classes, churn
 * (exits, restarts with a new PID, counter resets), exported as OTLP/JSON requests.
 */
export const CATALOG: Array<{ exe: string; cls: 'critical' | 'high' | 'medium' | 'low' }> = [
  { exe: 'postgres', cls: 'critical' },
  { exe: 'redis-server', cls: 'critical' },
  { exe: 'kubelet', cls: 'critical' },
  { exe: 'nginx', cls: 'high' },
  { exe: 'node', cls: 'high' },
  { exe: 'envoy', cls: 'high' },
  { exe: 'otelcol', cls: 'medium' },
  { exe: 'fluent-bit', cls: 'medium' },
  { exe: 'cron', cls: 'medium' },
  { exe: 'bash', cls: 'low' },
  { exe: 'sleep', cls: 'low' },
  { exe: 'my-batch-job', cls: 'low' },
];

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Proc {
  host: string;
  pid: number;
  exe: string;
  cmd: string;
  owner: string;
  /** CPU seconds per round (integers keep float sums exact) */
  cpuPerRound: number;
  cpuUser: number;
  cpuSystem: number;
  diskRead: number;
  diskWrite: number;
  memory: number;
  threads: number;
  startRound: number;
  alive: boolean;
}

export interface WorkloadOptions {
  hosts: number;
  processes: number;
  seed: number;
  /** per round, probability that a process exits (replaced by a new one) */
  exitRate?: number;
  /** per round, probability that a process restarts: new PID, counters from zero */
  restartRate?: number;
  /** per round, probability of a counter reset with the same PID */
  resetRate?: number;
}

export class Workload {
  readonly procs: Proc[] = [];
  private readonly rand: () => number;
  private nextPid = 1000;
  round = 0;

  constructor(readonly opts: WorkloadOptions) {
    this.rand = mulberry32(opts.seed);
    for (let h = 0; h < opts.hosts; h++) for (let i = 0; i < opts.processes; i++) this.procs.push(this.spawn(`host-${h}`));
  }

  private spawn(host: string): Proc {
    const r = this.rand;
    const entry = CATALOG[Math.floor(r() * CATALOG.length)];
    const pid = this.nextPid++;
    // Pareto-distributed CPU (alpha 1.2): a few processes dominate, rounded to whole seconds
    const cpu = Math.min(500, Math.max(0, Math.round(1 / Math.pow(1 - r(), 1 / 1.2) - 1)));
    return {
      host,
      pid,
      exe: entry.exe,
      cmd: `/usr/bin/${entry.exe} --instance ${pid}`,
      owner: r() < 0.3 ? 'root' : 'app',
      cpuPerRound: cpu,
      cpuUser: 0,
      cpuSystem: 0,
      diskRead: 0,
      diskWrite: 0,
      memory: 1024 * Math.floor(1 + r() * 1000),
      threads: 1 + Math.floor(r() * 16),
      startRound: this.round,
      alive: true,
    };
  }

  /** Advances one export interval: churn, then counters grow. Returns the live processes. */
  step(): Proc[] {
    const r = this.rand;
    this.round++;
    const o = this.opts;
    for (let i = 0; i < this.procs.length; i++) {
      const p = this.procs[i];
      if (!p.alive) continue;
      const x = r();
      if (x < (o.exitRate ?? 0)) {
        p.alive = false;
        this.procs.push(this.spawn(p.host));
      } else if (x < (o.exitRate ?? 0) + (o.restartRate ?? 0)) {
        p.alive = false;
        const np = this.spawn(p.host);
        np.exe = p.exe;
        np.cmd = `/usr/bin/${p.exe} --instance ${np.pid}`;
        np.cpuPerRound = p.cpuPerRound;
        this.procs.push(np);
      } else if (x < (o.exitRate ?? 0) + (o.restartRate ?? 0) + (o.resetRate ?? 0)) {
        p.cpuUser = 0;
        p.cpuSystem = 0;
        p.diskRead = 0;
        p.diskWrite = 0;
      }
    }
    for (const p of this.procs) {
      if (!p.alive) continue;
      p.cpuUser += p.cpuPerRound;
      p.cpuSystem += Math.floor(p.cpuPerRound / 4);
      p.diskRead += 4096 * (1 + (p.pid % 7));
      p.diskWrite += 1024 * (p.pid % 3);
      p.memory += 4096 * (p.pid % 2); // slow leak on odd PIDs
    }
    return this.procs.filter((p) => p.alive);
  }

  /** One OTLP/JSON request per host with every live process. */
  requests(timeMs: number): unknown[] {
    const byHost = new Map<string, Proc[]>();
    for (const p of this.procs) if (p.alive) (byHost.get(p.host) ?? byHost.set(p.host, []).get(p.host))?.push(p);
    const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
    const out: unknown[] = [];
    for (const [host, procs] of byHost) {
      const a = (key: string, v: string | number) => (typeof v === 'number' ? { key, value: { intValue: String(v) } } : { key, value: { stringValue: v } });
      const pa = (p: Proc) => [a('process.pid', p.pid), a('process.executable.name', p.exe), a('process.command_line', p.cmd), a('process.owner', p.owner)];
      const pt = (p: Proc, value: number, extra: unknown[] = [], cumulative = true) => ({
        asInt: String(value),
        startTimeUnixNano: cumulative ? ns(1_600_000_000_000 + p.pid) : undefined,
        timeUnixNano: ns(timeMs),
        attributes: [...pa(p), ...extra],
      });
      out.push({
        resourceMetrics: [
          {
            resource: { attributes: [a('host.name', host), a('service.name', 'hostmetrics'), a('os.type', 'linux')] },
            scopeMetrics: [
              {
                scope: { name: 'workload' },
                metrics: [
                  {
                    name: 'process.cpu.time',
                    unit: 's',
                    sum: {
                      aggregationTemporality: 2,
                      isMonotonic: true,
                      dataPoints: procs.flatMap((p) => [pt(p, p.cpuUser, [a('state', 'user')]), pt(p, p.cpuSystem, [a('state', 'system')])]),
                    },
                  },
                  {
                    name: 'process.disk.io',
                    unit: 'By',
                    sum: {
                      aggregationTemporality: 2,
                      isMonotonic: true,
                      dataPoints: procs.flatMap((p) => [pt(p, p.diskRead, [a('direction', 'read')]), pt(p, p.diskWrite, [a('direction', 'write')])]),
                    },
                  },
                  { name: 'process.memory.usage', unit: 'By', sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints: procs.map((p) => pt(p, p.memory)) } },
                  { name: 'process.threads', unit: '{thread}', gauge: { dataPoints: procs.map((p) => pt(p, p.threads, [], false)) } },
                ],
              },
            ],
          },
        ],
      });
    }
    return out;
  }
}

/** Series per live process in the full-fidelity output: cpu ×2, disk ×2, memory, threads. */
export const SERIES_PER_PROCESS = 6;
