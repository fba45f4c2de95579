import { DEFAULT_SEED } from '../generator/generatorConfig';
import { SERIES_PER_PROCESS } from '../metrics/processMetrics';
import { HostModel } from './hostModel';
import { CPU_QUANTA_PER_SECOND, type SimProcess } from './simProcess';
import { defaultWorkloadConfig, type WorkloadConfig } from './workloadConfig';

const fleet = (seed: number, hosts = 10, processes = 80, config: WorkloadConfig = defaultWorkloadConfig): HostModel[] =>
  Array.from({ length: hosts }, (_, i) => new HostModel({ hostIndex: i, seed, initialProcesses: processes, config }));

const snapshot = (m: HostModel): unknown[] =>
  m.processes().map((p) => [p.pid, p.entry.executable, p.commandLine, p.containerId, p.cpuUserQuanta, p.cpuSystemQuanta, p.memoryBytes, p.threads, p.fds, p.diskReadBytes, p.diskWriteBytes]);

describe('HostModel', () => {
  test('is deterministic for a seed and differs between seeds', () => {
    const a = new HostModel({ hostIndex: 0, seed: 9, initialProcesses: 50, config: defaultWorkloadConfig });
    const b = new HostModel({ hostIndex: 0, seed: 9, initialProcesses: 50, config: defaultWorkloadConfig });
    const c = new HostModel({ hostIndex: 0, seed: 10, initialProcesses: 50, config: defaultWorkloadConfig });
    for (let i = 0; i < 20; i++) {
      a.step(10, 50 + i, 0.1);
      b.step(10, 50 + i, 0.1);
      c.step(10, 50 + i, 0.1);
    }
    expect(snapshot(a)).toEqual(snapshot(b));
    expect(snapshot(a)).not.toEqual(snapshot(c));
    expect(a.churn).toEqual(b.churn);
  });

  test('hosts are independent: host 1 is the same whether or not host 0 exists', () => {
    const alone = new HostModel({ hostIndex: 1, seed: DEFAULT_SEED, initialProcesses: 30, config: defaultWorkloadConfig });
    const [, second] = fleet(DEFAULT_SEED, 2, 30);
    alone.step(10, 30, 0.05);
    second.step(10, 30, 0.05);
    expect(snapshot(alone)).toEqual(snapshot(second));
    expect(alone.hostName).toBe('sim-host-0002');
  });

  test('CPU is heavy-tailed: for the default seed the top 5% of processes hold at least half the CPU', () => {
    const hosts = fleet(DEFAULT_SEED);
    for (let i = 0; i < 3; i++) for (const h of hosts) h.step(10, 80, 0.01);
    const rates = hosts.flatMap((h) => h.processes().map((p) => p.cpuRate)).sort((x, y) => y - x);
    const total = rates.reduce((s, r) => s + r, 0);
    const top = rates.slice(0, Math.ceil(rates.length * 0.05)).reduce((s, r) => s + r, 0);
    expect(rates.length).toBe(800);
    expect(top / total).toBeGreaterThanOrEqual(0.5);
    // ...and it is not an artefact of one host: on most hosts the top 5 processes hold most of the host's CPU.
    const perHost = hosts.map((h) => {
      const r = h.processes().map((p) => p.cpuRate).sort((x, y) => y - x);
      return r.slice(0, 5).reduce((s, x) => s + x, 0) / r.reduce((s, x) => s + x, 0);
    });
    expect(perHost.filter((share) => share >= 0.5).length).toBeGreaterThanOrEqual(6);
  });

  test('CPU counters are exact multiples of 2^-20 s and never go backwards without a reset', () => {
    const h = new HostModel({ hostIndex: 0, seed: 1, initialProcesses: 40, config: defaultWorkloadConfig });
    const before = new Map(h.processes().map((p) => [p.pid, p.cpuUserQuanta + p.cpuSystemQuanta]));
    h.step(10, 40, 0);
    for (const p of h.processes()) {
      expect(Number.isInteger(p.cpuUserQuanta)).toBe(true);
      expect(p.cpuUserQuanta + p.cpuSystemQuanta).toBeGreaterThanOrEqual(before.get(p.pid) ?? 0);
      expect(p.cpuRate).toBeCloseTo((p.cpuUserQuanta + p.cpuSystemQuanta - (before.get(p.pid) ?? 0)) / CPU_QUANTA_PER_SECOND / 10, 12);
    }
  });

  test('churn creates new series (new PIDs), ends old ones, and resets counters in place', () => {
    const h = new HostModel({ hostIndex: 0, seed: DEFAULT_SEED, initialProcesses: 100, config: defaultWorkloadConfig });
    h.step(10, 100, 0);
    const identity = (p: SimProcess): string => `${p.pid}|${p.entry.executable}|${p.commandLine}|${p.owner}|${p.containerId ?? ''}`;
    const seen = new Set(h.processes().map(identity));
    const last = new Map(h.processes().map((p) => [identity(p), p.cpuUserQuanta + p.cpuSystemQuanta + p.diskReadBytes + p.diskWriteBytes]));
    let newSeries = 0;
    let ended = 0;
    let counterResets = 0;
    for (let i = 0; i < 10; i++) {
      const liveBefore = new Set(h.processes().map(identity));
      h.step(10, 100, 0.2);
      const liveAfter = h.processes().map(identity);
      for (const id of liveBefore) if (!liveAfter.includes(id)) ended++;
      for (const p of h.processes()) {
        const id = identity(p);
        if (!seen.has(id)) newSeries++;
        seen.add(id);
        const total = p.cpuUserQuanta + p.cpuSystemQuanta + p.diskReadBytes + p.diskWriteBytes;
        const prev = last.get(id);
        if (prev !== undefined && total < prev) counterResets++;
        last.set(id, total);
      }
    }
    expect(h.processCount).toBe(100);
    expect(newSeries).toBeGreaterThan(50);
    expect(ended).toBe(newSeries);
    expect(counterResets).toBeGreaterThan(5);
    expect(h.churn.resets).toBeGreaterThanOrEqual(counterResets);
    expect(h.churn.restarts).toBeGreaterThan(10);
    expect(h.churn.exits).toBeGreaterThan(10);
    // A restart keeps the executable and command line under a new PID: the rolled-up counter of that
    // command line goes back (a counter reset for anything that drops process.pid).
    const pids = h.processes().map((p) => p.pid);
    expect(new Set(pids).size).toBe(pids.length);
  });

  test('grows and shrinks to the target process count', () => {
    const h = new HostModel({ hostIndex: 0, seed: 2, initialProcesses: 20, config: defaultWorkloadConfig });
    h.step(10, 100, 0);
    expect(h.processCount).toBe(100);
    expect(h.churn.spawns).toBe(80);
    h.step(10, 30, 0);
    expect(h.processCount).toBe(30);
    expect(h.churn.exits).toBe(70);
    expect(h.processCount * SERIES_PER_PROCESS).toBe(210);
  });

  test('leaking processes grow their memory and descriptors slowly; the others stay around their base', () => {
    const h = new HostModel({ hostIndex: 0, seed: 11, initialProcesses: 400, config: { ...defaultWorkloadConfig, leak_fraction_per_hour: 0.5 } });
    h.step(60, 400, 0);
    const start = new Map(h.processes().map((p) => [p.pid, { mem: p.memoryBytes, fds: p.fds }]));
    for (let i = 0; i < 60; i++) h.step(60, 400, 0);
    const leakers = h.processes().filter((p) => p.leaks);
    const others = h.processes().filter((p) => !p.leaks);
    expect(leakers.length).toBeGreaterThan(5);
    let fdGrowth = 0;
    for (const p of leakers) {
      expect(p.memoryBytes).toBeGreaterThan((start.get(p.pid)?.mem ?? 0) * 1.2);
      expect(p.fdsLeaked).toBeGreaterThan(0);
      fdGrowth += p.fds - (start.get(p.pid)?.fds ?? 0);
    }
    expect(fdGrowth / leakers.length).toBeGreaterThan(10);
    for (const p of others) expect(p.memoryBytes).toBeLessThan(p.memoryBaseBytes * 1.2);
  });

  test('memory values are whole pages and gauges are integers', () => {
    const h = new HostModel({ hostIndex: 0, seed: 4, initialProcesses: 50, config: defaultWorkloadConfig });
    h.step(10, 50, 0.1);
    for (const p of h.processes()) {
      expect(p.memoryBytes % 4096).toBe(0);
      expect(Number.isInteger(p.threads) && p.threads >= 1).toBe(true);
      expect(Number.isInteger(p.fds) && p.fds >= 3).toBe(true);
      expect(Number.isInteger(p.diskReadBytes) && Number.isInteger(p.diskWriteBytes)).toBe(true);
    }
  });
});
