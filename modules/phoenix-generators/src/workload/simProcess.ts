import type { CatalogEntry } from '../catalog/processCatalog';

/** CPU times are kept in quanta of 2^-20 s, so every exported CPU value and every sum of them is exact in a double. */
export const CPU_QUANTA_PER_SECOND = 1 << 20;

/** One simulated process and its cumulative and current readings. */
export interface SimProcess {
  /** Unique among the host's live processes; new processes get increasing PIDs, a reset keeps its PID. */
  pid: number;
  readonly entry: CatalogEntry;
  readonly commandLine: string;
  readonly owner: string;
  /** 64 hex characters for containerised processes. */
  readonly containerId: string | undefined;
  readonly leaks: boolean;
  /** Heavy-tailed base CPU rate in cores. */
  readonly baseCpuCores: number;
  /** Cumulative CPU time, in quanta (see CPU_QUANTA_PER_SECOND). */
  cpuUserQuanta: number;
  cpuSystemQuanta: number;
  /** CPU seconds per second over the last step. */
  cpuRate: number;
  readonly memoryBaseBytes: number;
  memoryBytes: number;
  /** Memory leaked since the simulation started observing the process (leaking processes only). */
  memoryLeakedBytes: number;
  readonly threadsBase: number;
  threads: number;
  readonly fdsBase: number;
  fds: number;
  /** Descriptors leaked so far (leaking processes only). */
  fdsLeaked: number;
  /** Median disk I/O of this process, bytes per second. */
  readonly ioBytesPerSecond: number;
  diskReadBytes: number;
  diskWriteBytes: number;
  /** Seconds since the process (re)started. */
  ageSeconds: number;
  /** Incremented by every reset in place (same PID and identity, counters back to zero). */
  incarnation: number;
}

/** Cumulative user CPU seconds (exact). */
export function cpuUserSeconds(p: SimProcess): number {
  return p.cpuUserQuanta / CPU_QUANTA_PER_SECOND;
}

/** Cumulative system CPU seconds (exact). */
export function cpuSystemSeconds(p: SimProcess): number {
  return p.cpuSystemQuanta / CPU_QUANTA_PER_SECOND;
}
