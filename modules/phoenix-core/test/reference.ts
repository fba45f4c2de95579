/**
 * Brute-force references computed straight from the workload, independently of the pipelines:
 * totals, top-k membership and the series counts the rules imply.
 */
import type { Proc, Workload } from './workload';
import { CATALOG } from './workload';

export const COUNTERS = ['process_cpu_time_seconds_total', 'process_disk_io_bytes_total'];
export const GAUGES = ['process_memory_usage_bytes', 'process_threads'];

function procKey(p: Proc): string {
  return [`process.command_line=${p.cmd}`, `process.executable.name=${p.exe}`, `process.owner=${p.owner}`, `process.pid=${p.pid}`].sort().join('\u0000');
}

interface SeriesRef {
  host: string;
  family: string;
  proc: Proc;
  stream: string; // non-process attributes
  first: boolean;
  last: number;
  increases: number;
}

/** Tracks what every series of the workload reported, round by round. */
export class Reference {
  readonly series = new Map<string, SeriesRef>();
  /** per host, per process key: [time, increase] of cpu excluding each series' first point */
  readonly cpu = new Map<string, Map<string, Array<[number, number]>>>();
  readonly members = new Map<string, Set<string>>();
  /** top-k routing replay: the group of every series, and every counter group ever used */
  private readonly route = new Map<string, string>();
  private readonly counterGroupsEver = new Set<string>();

  private topkGroupOf(s: SeriesRef): string {
    const member = this.members.get(s.host)?.has(procKey(s.proc)) ?? false;
    return member ? `ind|${procKey(s.proc)}|${s.family}|${s.stream}` : `oth|${s.host}|${s.family}|${s.stream}`;
  }

  private assign(id: string, s: SeriesRef): void {
    const g = this.topkGroupOf(s);
    this.route.set(id, g);
    if (COUNTERS.includes(s.family)) this.counterGroupsEver.add(g);
  }

  observe(w: Workload, timeMs: number): void {
    for (const p of w.procs) {
      if (!p.alive) continue;
      const pts: Array<[string, string, number]> = [
        ['process_cpu_time_seconds_total', 'user', p.cpuUser],
        ['process_cpu_time_seconds_total', 'system', p.cpuSystem],
        ['process_disk_io_bytes_total', 'read', p.diskRead],
        ['process_disk_io_bytes_total', 'write', p.diskWrite],
        ['process_memory_usage_bytes', '', p.memory],
        ['process_threads', '', p.threads],
      ];
      for (const [family, stream, v] of pts) {
        const k = `${procKey(p)}|${family}|${stream}`;
        let s = this.series.get(k);
        const isNew = !s;
        if (!s) {
          s = { host: p.host, family, proc: p, stream, first: true, last: 0, increases: 0 };
          this.series.set(k, s);
          this.assign(k, s);
        }
        const inc = isNew ? v : v >= s.last ? v - s.last : v;
        s.increases += inc;
        if (family === 'process_cpu_time_seconds_total') {
          const hostMap = this.cpu.get(p.host) ?? this.cpu.set(p.host, new Map()).get(p.host)!;
          const entries = hostMap.get(procKey(p)) ?? hostMap.set(procKey(p), []).get(procKey(p))!;
          if (!isNew && inc > 0) entries.push([timeMs, inc]);
        }
        s.last = v;
      }
    }
  }

  /** Expected totals per host and family: Σ increases for counters, Σ last values for gauges (and raw last values for full fidelity). */
  totals(kind: 'reduced' | 'raw'): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.series.values()) {
      const k = `${s.host}\u0000${s.family}`;
      const v = COUNTERS.includes(s.family) && kind === 'reduced' ? s.increases : s.last;
      out.set(k, (out.get(k) ?? 0) + v);
    }
    return out;
  }

  /** Top-k members per host: rates over the window, incumbents weighted (1 + margin), ties by key. */
  rank(nowMs: number, windowMs: number, k: number, margin: number): Map<string, Set<string>> {
    for (const [host, procs] of this.cpu) {
      const prev = this.members.get(host) ?? new Set<string>();
      const scored: Array<[string, number]> = [];
      for (const [key, entries] of procs) {
        let sum = 0;
        for (const [t, v] of entries) if (t > nowMs - windowMs) sum += v;
        const rate = sum / (windowMs / 1000);
        scored.push([key, prev.has(key) ? rate * (1 + margin) : rate]);
      }
      scored.sort((a, b) => (b[1] !== a[1] ? b[1] - a[1] : a[0] < b[0] ? -1 : 1));
      this.members.set(host, new Set(scored.slice(0, k).map(([key]) => key)));
    }
    for (const [id, s] of this.series) this.assign(id, s);
    return this.members;
  }

  /**
   * Series the top-k output must have: every counter group a series was ever routed to (a group
   * keeps its carried-over value after its members move away), gauge groups with members, and one
   * member count per `others` group with members.
   */
  topkSeries(): number {
    const live = new Set(this.route.values());
    let n = this.counterGroupsEver.size;
    const othersWithMembers = new Set<string>();
    for (const g of live) {
      // group keys: `ind|<process>|<family>|<stream>` or `oth|<host>|<family>|<stream>`
      const family = g.split('|')[2];
      if (GAUGES.includes(family)) n++;
      if (g.startsWith('oth|')) othersWithMembers.add(g);
    }
    return n + othersWithMembers.size;
  }

  /** Series the optimized output must have under a profile. */
  optimizedSeries(profile: 'conservative' | 'balanced' | 'aggressive'): number {
    const cls = new Map(CATALOG.map((c) => [c.exe, c.cls]));
    const groups = new Set<string>();
    const others = new Set<string>();
    for (const s of this.series.values()) {
      const c = cls.get(s.proc.exe);
      const rolled = profile === 'aggressive' ? c === 'low' || c === 'medium' : profile === 'balanced' ? c === 'low' : false;
      if (rolled) others.add(`${s.host}|${s.family}|${s.stream}`);
      else groups.add(`${s.host}|${s.proc.exe}|${s.proc.owner}|${s.family}|${s.stream}`);
    }
    return groups.size + 2 * others.size;
  }
}
