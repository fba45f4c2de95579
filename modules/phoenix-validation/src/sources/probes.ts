import type { BenchmarkMissedHeavyHitter, BenchmarkPipelineName, BenchmarkProbe, GeneratorsHostTruth, GeneratorsTopProcess, GeneratorsTruth } from '@phoenix/contracts';
import type { GeneratorsClient } from '../clients/generators';
import { parseLabels, sleep, systemClock, type Clock } from '@phoenix/runtime';
import { fetchText } from './http';

/** The Prometheus name of process.cpu.time on the core's outputs (the ranking signal, one series per state). */
export const CPU_METRIC = 'process_cpu_time_seconds_total';

/** Point attributes (as labels) that identify a process; an output series carrying any of them shows a process (or a group of identical ones). */
const IDENTITY_LABELS = ['process_pid', 'process_executable_name', 'process_command_line', 'process_owner', 'container_id'] as const;

type Identity = Partial<Record<(typeof IDENTITY_LABELS)[number], string>>;

/** The process identities an output shows individually, per host (series rolled into `others` are left out). */
export function visibleProcesses(text: string, metric = CPU_METRIC): Map<string, Identity[]> {
  const out = new Map<string, Identity[]>();
  const prefix = `${metric}{`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const close = line.lastIndexOf('}');
    if (close < 0) continue;
    const labels = parseLabels(line.slice(prefix.length, close));
    if (!labels || labels.phoenix_rollup !== undefined) continue;
    const id: Identity = {};
    let any = false;
    for (const k of IDENTITY_LABELS) {
      if (labels[k] !== undefined) {
        id[k] = labels[k];
        any = true;
      }
    }
    if (!any) continue;
    const host = labels.host_name ?? '';
    let list = out.get(host);
    if (!list) out.set(host, (list = []));
    list.push(id);
  }
  return out;
}

/** Whether a series identity shows this process: every identity label it carries has the process's value. */
export function identityMatches(id: Identity, p: GeneratorsTopProcess): boolean {
  const want: Identity = {
    process_pid: String(p.pid),
    process_executable_name: p.executable_name,
    process_command_line: p.command_line,
    process_owner: p.owner,
    container_id: p.container_id,
  };
  for (const k of IDENTITY_LABELS) {
    const v = id[k];
    if (v !== undefined && v !== want[k]) return false;
  }
  return true;
}

/** CPU seconds (all states) per host and PID on full_fidelity. */
export function cpuByProcess(text: string, metric = CPU_METRIC, onlyPid?: number): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  const prefix = `${metric}{`;
  const pidNeedle = onlyPid === undefined ? undefined : `process_pid="${onlyPid}"`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    if (pidNeedle && !line.includes(pidNeedle)) continue;
    const close = line.lastIndexOf('}');
    if (close < 0) continue;
    const labels = parseLabels(line.slice(prefix.length, close));
    if (!labels || labels.process_pid === undefined) continue;
    const value = Number(line.slice(close + 1).trim().split(/\s+/)[0]);
    if (!Number.isFinite(value)) continue;
    const host = labels.host_name ?? '';
    const pid = Number(labels.process_pid);
    let m = out.get(host);
    if (!m) out.set(host, (m = new Map()));
    m.set(pid, (m.get(pid) ?? 0) + value);
  }
  return out;
}

export interface RecallScore {
  eligible: number;
  hits: number;
  missed: BenchmarkMissedHeavyHitter[];
}

/**
 * Scores one output against the truth: per host, the true top-N processes that are eligible (`eligible(host, pid)`)
 * and whether the output shows each individually.
 */
export function scoreRecall(truth: readonly GeneratorsHostTruth[], visible: Map<string, Identity[]>, eligible: (host: string, pid: number) => boolean, offsetSeconds: number, topN = 10): RecallScore {
  let n = 0;
  let hits = 0;
  const missed: BenchmarkMissedHeavyHitter[] = [];
  for (const h of truth) {
    const shown = visible.get(h.host_name) ?? [];
    for (const p of h.top_processes.slice(0, topN)) {
      if (!eligible(h.host_name, p.pid)) continue;
      n += 1;
      if (shown.some((id) => identityMatches(id, p))) hits += 1;
      else if (missed.length < 20) {
        missed.push({ offset_seconds: offsetSeconds, host_name: h.host_name, pid: p.pid, executable_name: p.executable_name, rank: p.rank, cpu_rate: p.cpu_rate });
      }
    }
  }
  return { eligible: n, hits, missed };
}

export interface ProberOptions {
  fullUrl: string;
  activeUrl: string;
  topkUrl: string;
  timeoutMs: number;
  topN: number;
  /** Scenario seconds a process must have been on full_fidelity to count as a heavy hitter. */
  minAgeSeconds: number;
  /** Wall seconds between two generator exports (bounds the freshness wait). */
  exportIntervalSeconds: number;
  pollMs?: number;
  /** time of the measurements and clock of the waits (default the system clock) */
  clock?: Clock;
  /** Told why a freshness measurement was left out (diagnostics). */
  debug?: (msg: string) => void;
}

/**
 * Probes the core against the generator's truth: heavy-hitter recall of the active output and experimental_topk,
 * and freshness (time from an export until its values show on full_fidelity). Remembers when each process was
 * first seen on full_fidelity, so a process younger than minAgeSeconds is not scored (a rate-based ranking cannot
 * know it yet).
 */
export class Prober {
  private readonly firstSeen = new Map<string, number>();
  private readonly clock: Clock;
  private readonly now: () => number;

  constructor(
    private readonly opts: ProberOptions,
    private readonly generators: GeneratorsClient,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.now = () => this.clock.now();
  }

  /** One probe; `offset()` gives the scenario seconds since the run started. */
  async probe(offset: () => number, activePipeline: BenchmarkPipelineName | undefined, signal?: AbortSignal): Promise<BenchmarkProbe> {
    const truth = await this.generators.truth(signal);
    const [full, active, topk] = await Promise.all([
      fetchText(this.opts.fullUrl, { timeoutMs: this.opts.timeoutMs, signal }),
      fetchText(this.opts.activeUrl, { timeoutMs: this.opts.timeoutMs, signal }),
      fetchText(this.opts.topkUrl, { timeoutMs: this.opts.timeoutMs, signal }),
    ]);
    const at = offset();
    const cpu = cpuByProcess(full);
    for (const [host, pids] of cpu) {
      for (const pid of pids.keys()) {
        const key = `${host}\u0000${pid}`;
        if (!this.firstSeen.has(key)) this.firstSeen.set(key, at);
      }
    }
    const eligible = (host: string, pid: number): boolean => {
      const seen = this.firstSeen.get(`${host}\u0000${pid}`);
      return seen !== undefined && at - seen >= this.opts.minAgeSeconds;
    };
    const a = scoreRecall(truth.hosts, visibleProcesses(active), eligible, at, this.opts.topN);
    const t = scoreRecall(truth.hosts, visibleProcesses(topk), eligible, at, this.opts.topN);
    const probe: BenchmarkProbe = {
      at: new Date().toISOString(),
      offset_seconds: at,
      hosts: truth.hosts.length,
      eligible: a.eligible,
      active_hits: a.hits,
      topk_hits: t.hits,
      missed_active: a.missed,
      missed_topk: t.missed,
    };
    if (activePipeline) probe.active_pipeline = activePipeline;
    const fresh = await this.freshness(truth, signal);
    if (fresh === 'timeout') probe.freshness_timeout = true;
    else if (fresh !== undefined) probe.freshness_seconds = fresh;
    return probe;
  }

  /**
   * Freshness of one export of the first host: wait for an export (N) to complete, scrape full_fidelity at once
   * for the reference value of the host's top process, wait for the next export (N+1) and poll full_fidelity until
   * that value changes. Seconds from N+1's exported_at to the scrape that showed it (an upper bound: it includes
   * the poll). undefined when it cannot be measured cleanly: no truth yet, the process went away, or the export
   * round of N+1 (exported_at - the generator's last tick duration) may have begun before the reference scrape ended.
   */
  private async freshness(truth: GeneratorsTruth, signal?: AbortSignal): Promise<number | 'timeout' | undefined> {
    const skip = (why: string): undefined => {
      this.opts.debug?.(`freshness not measured: ${why}`);
      return undefined;
    };
    const host = truth.hosts[0];
    const top = host?.top_processes[0];
    if (!host || !top) return skip('no truth yet');
    const poll = this.opts.pollMs ?? 50;
    const waitMs = (2.5 * this.opts.exportIntervalSeconds + 2) * 1000;
    const nextExport = async (afterSeq: number): Promise<{ seq: number; at: number } | 'timeout' | undefined> => {
      const deadline = this.now() + waitMs;
      for (;;) {
        if (signal?.aborted) return undefined;
        if (this.now() > deadline) return 'timeout';
        await sleep(this.clock, poll, signal);
        const t = await this.generators.truth(signal);
        if (!t.running) return undefined;
        const h = t.hosts.find((x) => x.host_name === host.host_name);
        if (h && h.export_seq > afterSeq) return { seq: h.export_seq, at: Date.parse(h.exported_at) };
      }
    };
    const n = await nextExport(host.export_seq);
    if (n === 'timeout') return 'timeout';
    if (!n) return skip('the generator stopped');
    const refText = await fetchText(this.opts.fullUrl, { timeoutMs: this.opts.timeoutMs, signal });
    const referenceEnd = this.now();
    const before = cpuByProcess(refText, CPU_METRIC, top.pid).get(host.host_name)?.get(top.pid);
    if (before === undefined) return skip(`process ${top.pid} of ${host.host_name} is not on full_fidelity`);
    const n1 = await nextExport(n.seq);
    if (n1 === 'timeout') return 'timeout';
    if (!n1) return skip('the generator stopped');
    const tick = (await this.generators.load(signal)).exports.last_tick_seconds ?? this.opts.exportIntervalSeconds;
    if (n1.at - tick * 1000 <= referenceEnd) {
      return skip(`the export round (${new Date(n1.at).toISOString()} - ${tick} s) may overlap the reference scrape (until ${new Date(referenceEnd).toISOString()})`);
    }
    const deadline = this.now() + waitMs;
    for (;;) {
      if (signal?.aborted) return undefined;
      const text = await fetchText(this.opts.fullUrl, { timeoutMs: this.opts.timeoutMs, signal });
      const seenAt = this.now();
      const v = cpuByProcess(text, CPU_METRIC, top.pid).get(host.host_name)?.get(top.pid);
      if (v === undefined) return skip(`process ${top.pid} is gone`);
      if (v !== before) return Math.max(0, (seenAt - n1.at) / 1000);
      if (seenAt > deadline) return 'timeout';
      await sleep(this.clock, poll, signal);
    }
  }
}
