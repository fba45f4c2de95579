import { PROCESS_CATALOG, type CatalogEntry } from '../catalog/processCatalog';
import { createRandom, type Random } from '../common/random';
import { CPU_QUANTA_PER_SECOND, type SimProcess } from './simProcess';
import type { WorkloadConfig } from './workloadConfig';

/** Churn events on a host since it was created. */
export interface ChurnCounts {
  /** New processes (new PID, new identity). */
  spawns: number;
  /** Processes that ended. */
  exits: number;
  /** Same executable and command line restarted with a new PID. */
  restarts: number;
  /** Restarted in place: same PID and identity, counters back to zero. */
  resets: number;
}

/** What one step did. */
export type StepChurn = ChurnCounts;

const PAGE = 4096;

/** The host name of host `index` (0-based): `<prefix>-0001`. */
export function hostNameFor(prefix: string, index: number): string {
  return `${prefix}-${String(index + 1).padStart(4, '0')}`;
}

/**
 * The simulated processes of one host. Deterministic: the same seed, host index and sequence of
 * step() arguments produce the same processes and readings. Each host draws from its own random
 * streams (derived from the seed and the host index), so adding hosts leaves the others unchanged.
 */
export class HostModel {
  readonly hostIndex: number;
  readonly hostName: string;
  readonly churn: ChurnCounts = { spawns: 0, exits: 0, restarts: 0, resets: 0 };
  private readonly config: WorkloadConfig;
  private readonly catalog: readonly CatalogEntry[];
  private readonly frequencies: number[];
  private readonly valueRng: Random;
  private readonly churnRng: Random;
  private readonly identityRng: Random;
  private readonly live = new Map<number, SimProcess>();
  private nextPid: number;
  private stepCount = 0;

  constructor(opts: {
    hostIndex: number;
    seed: number;
    initialProcesses: number;
    config: WorkloadConfig;
    catalog?: readonly CatalogEntry[];
  }) {
    this.hostIndex = opts.hostIndex;
    this.config = opts.config;
    this.catalog = opts.catalog ?? PROCESS_CATALOG;
    this.frequencies = this.catalog.map((e) => e.frequency);
    this.hostName = hostNameFor(opts.config.host_name_prefix, opts.hostIndex);
    const hostRng = createRandom(opts.seed).fork(`host-${opts.hostIndex}`);
    this.valueRng = hostRng.fork('values');
    this.churnRng = hostRng.fork('churn');
    this.identityRng = hostRng.fork('identity');
    this.nextPid = 300 + this.identityRng.int(2000);
    for (let i = 0; i < opts.initialProcesses; i++) this.add(this.create(this.drawEntry(), undefined, true));
  }

  /** Live processes, by increasing PID. */
  processes(): SimProcess[] {
    return [...this.live.values()];
  }

  get processCount(): number {
    return this.live.size;
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.stepCount;
  }

  /**
   * Advances the host by `dtSeconds`: first churn (about `churnRate` x processes events), then grows or
   * shrinks to `targetProcesses`, then accumulates CPU, memory, threads, descriptors and disk I/O.
   */
  step(dtSeconds: number, targetProcesses: number, churnRate: number): StepChurn {
    const before = { ...this.churn };
    this.applyChurn(churnRate);
    this.resize(Math.max(0, Math.round(targetProcesses)));
    for (const p of this.live.values()) this.advance(p, dtSeconds);
    this.stepCount++;
    return {
      spawns: this.churn.spawns - before.spawns,
      exits: this.churn.exits - before.exits,
      restarts: this.churn.restarts - before.restarts,
      resets: this.churn.resets - before.resets,
    };
  }

  private drawEntry(): CatalogEntry {
    return this.catalog[this.identityRng.weightedIndex(this.frequencies)];
  }

  private containerId(): string {
    let id = '';
    for (let i = 0; i < 8; i++) id += this.identityRng.int(0x100000000).toString(16).padStart(8, '0');
    return id;
  }

  private create(entry: CatalogEntry, like: SimProcess | undefined, established: boolean): SimProcess {
    const rng = this.identityRng;
    const pid = this.nextPid;
    this.nextPid += 1 + rng.int(8);
    const template = entry.commandLines[rng.int(entry.commandLines.length)];
    const commandLine = like?.commandLine ?? template.replace(/\{n\}/g, () => String(1 + rng.int(99)));
    const containerized = like ? like.containerId !== undefined : rng.chance(entry.containerized);
    const c = this.config;
    const baseCpuCores = Math.min(c.cpu_max_cores, c.cpu_min_cores * entry.cpuScale * rng.pareto(1, c.cpu_pareto_alpha));
    const memoryBaseBytes = Math.max(PAGE, Math.round(rng.logNormal(entry.memoryMedianBytes, 0.5) / PAGE) * PAGE);
    const threadsBase = Math.max(1, Math.round(rng.logNormal(entry.threadsMedian, 0.3)));
    const fdsBase = Math.max(3, Math.round(rng.logNormal(entry.fdsMedian, 0.4)));
    const ioBytesPerSecond = entry.ioBytesPerSecond * rng.logNormal(1, 1.2);
    const ageSeconds = established ? Math.min(30 * 86400, -Math.log(1 - rng.next()) * 2 * 86400) : 0;
    const p: SimProcess = {
      pid,
      entry,
      commandLine,
      owner: like?.owner ?? entry.owner,
      containerId: containerized ? this.containerId() : undefined,
      leaks: like?.leaks ?? rng.chance(entry.leakProbability),
      baseCpuCores,
      cpuUserQuanta: 0,
      cpuSystemQuanta: 0,
      cpuRate: 0,
      memoryBaseBytes,
      memoryBytes: memoryBaseBytes,
      memoryLeakedBytes: 0,
      threadsBase,
      threads: threadsBase,
      fdsBase,
      fds: fdsBase,
      fdsLeaked: 0,
      ioBytesPerSecond,
      diskReadBytes: 0,
      diskWriteBytes: 0,
      ageSeconds,
      incarnation: 0,
    };
    if (established) {
      const cpuQuanta = Math.round(baseCpuCores * ageSeconds * rng.uniform(0.3, 1) * CPU_QUANTA_PER_SECOND);
      p.cpuUserQuanta = Math.round(cpuQuanta * entry.userFraction);
      p.cpuSystemQuanta = cpuQuanta - p.cpuUserQuanta;
      const io = Math.round(ioBytesPerSecond * ageSeconds * rng.uniform(0.3, 1));
      p.diskReadBytes = Math.round(io * entry.readFraction);
      p.diskWriteBytes = io - p.diskReadBytes;
    }
    return p;
  }

  private add(p: SimProcess): void {
    this.live.set(p.pid, p);
  }

  /** Picks `n` distinct live processes, each with probability proportional to its churn weight. */
  private pickVictims(n: number): SimProcess[] {
    const pool = this.processes();
    const weights = pool.map((p) => p.entry.churnWeight);
    const out: SimProcess[] = [];
    for (let k = 0; k < n && k < pool.length; k++) {
      const i = this.churnRng.weightedIndex(weights);
      if (weights[i] === 0) break;
      out.push(pool[i]);
      weights[i] = 0;
    }
    return out;
  }

  private applyChurn(churnRate: number): void {
    if (churnRate <= 0 || this.live.size === 0) return;
    const expected = this.live.size * churnRate;
    const events = Math.floor(expected) + (this.churnRng.chance(expected - Math.floor(expected)) ? 1 : 0);
    const c = this.config;
    const shares = [c.churn_exit_share, c.churn_restart_share, c.churn_reset_share];
    for (const victim of this.pickVictims(events)) {
      const kind = this.churnRng.weightedIndex(shares);
      if (kind === 0) {
        this.live.delete(victim.pid);
        this.churn.exits++;
        this.add(this.create(this.drawEntry(), undefined, false));
        this.churn.spawns++;
      } else if (kind === 1) {
        this.live.delete(victim.pid);
        this.add(this.create(victim.entry, victim, false));
        this.churn.restarts++;
      } else {
        this.resetInPlace(victim);
        this.churn.resets++;
      }
    }
  }

  private resetInPlace(p: SimProcess): void {
    p.cpuUserQuanta = 0;
    p.cpuSystemQuanta = 0;
    p.diskReadBytes = 0;
    p.diskWriteBytes = 0;
    p.memoryBytes = p.memoryBaseBytes;
    p.memoryLeakedBytes = 0;
    p.threads = p.threadsBase;
    p.fds = p.fdsBase;
    p.fdsLeaked = 0;
    p.ageSeconds = 0;
    p.incarnation++;
  }

  private resize(target: number): void {
    if (this.live.size < target) {
      while (this.live.size < target) {
        this.add(this.create(this.drawEntry(), undefined, false));
        this.churn.spawns++;
      }
    } else if (this.live.size > target) {
      for (const victim of this.pickVictims(this.live.size - target)) {
        this.live.delete(victim.pid);
        this.churn.exits++;
      }
    }
  }

  private advance(p: SimProcess, dt: number): void {
    const rng = this.valueRng;
    const c = this.config;
    const sigma = c.cpu_noise_sigma;
    const rate = Math.min(c.cpu_max_cores, p.baseCpuCores * Math.exp(sigma * rng.normal() - (sigma * sigma) / 2));
    const total = Math.round(rate * dt * CPU_QUANTA_PER_SECOND);
    const user = Math.round(total * p.entry.userFraction);
    p.cpuUserQuanta += user;
    p.cpuSystemQuanta += total - user;
    p.cpuRate = dt > 0 ? total / CPU_QUANTA_PER_SECOND / dt : 0;
    p.ageSeconds += dt;
    if (p.leaks) p.memoryLeakedBytes += (p.memoryBaseBytes * c.leak_fraction_per_hour * dt) / 3600;
    p.memoryBytes = Math.max(PAGE, Math.round((p.memoryBaseBytes * (1 + 0.02 * rng.normal()) + p.memoryLeakedBytes) / PAGE) * PAGE);
    if (rng.chance(0.1)) p.threads = Math.min(Math.max(2, 2 * p.threadsBase), Math.max(1, p.threads + (rng.chance(0.5) ? 1 : -1)));
    if (p.leaks && rng.chance(0.3)) p.fdsLeaked++;
    // Descriptors wander around their base (mean-reverting), plus what leaked.
    const open = p.fds - p.fdsLeaked;
    const noise = Math.max(1, p.fdsBase * 0.02) * rng.normal();
    p.fds = Math.max(3, Math.round(open + (p.fdsBase - open) * 0.2 + noise)) + p.fdsLeaked;
    const io = Math.round(p.ioBytesPerSecond * rng.logNormal(1, 0.5) * dt);
    const read = Math.round(io * p.entry.readFraction);
    p.diskReadBytes += read;
    p.diskWriteBytes += io - read;
  }
}
