import type { GeneratorsHostTruth, GeneratorsMetricTruth, GeneratorsTopProcess, GeneratorsTruthProcess } from '@phoenix/contracts';
import { PROCESS_METRICS, SERIES_PER_PROCESS } from '../metrics/processMetrics';
import type { HostModel } from '../workload/hostModel';
import type { SimProcess } from '../workload/simProcess';

/** How many processes the truth ranks per host. */
export const TOP_PROCESSES = 10;

/** The true top-n processes by CPU rate over the last step (ties: lower PID first). */
export function topProcessesByCpu(processes: readonly SimProcess[], n = TOP_PROCESSES): GeneratorsTopProcess[] {
  return [...processes]
    .sort((a, b) => b.cpuRate - a.cpuRate || a.pid - b.pid)
    .slice(0, n)
    .map((p, i) => {
      const top: GeneratorsTopProcess = {
        rank: i + 1,
        pid: p.pid,
        executable_name: p.entry.executable,
        command_line: p.commandLine,
        owner: p.owner,
        priority_class: p.entry.priorityClass,
        cpu_rate: p.cpuRate,
      };
      if (p.containerId !== undefined) top.container_id = p.containerId;
      return top;
    });
}

/**
 * The ground truth of one host as exported: per metric the series and the exact total, and the top
 * processes by CPU rate. Built from the same definitions the SDK instruments observe.
 */
export function buildHostTruth(
  model: HostModel,
  meta: { exportSeq: number; exportedAt: string; serviceName: string },
): GeneratorsHostTruth {
  const processes = model.processes();
  const metrics: GeneratorsMetricTruth[] = PROCESS_METRICS.map((def) => {
    const m: GeneratorsMetricTruth = {
      name: def.name,
      prometheus_name: def.prometheusName,
      unit: def.unit,
      type: def.type,
      series: processes.length * (def.attribute ? def.attribute.values.length : 1),
      total: 0,
    };
    if (def.attribute) {
      const totals: Record<string, number> = {};
      for (const v of def.attribute.values) {
        let sum = 0;
        for (const p of processes) sum += def.value(p, v);
        totals[v] = sum;
        m.total += sum;
      }
      m.breakdown = { attribute: def.attribute.key, totals };
    } else {
      for (const p of processes) m.total += def.value(p);
    }
    return m;
  });
  let cpuRateTotal = 0;
  for (const p of processes) cpuRateTotal += p.cpuRate;
  return {
    host_name: model.hostName,
    service_name: meta.serviceName,
    export_seq: meta.exportSeq,
    exported_at: meta.exportedAt,
    processes: processes.length,
    series: processes.length * SERIES_PER_PROCESS,
    cpu_rate_total: cpuRateTotal,
    metrics,
    // The schema caps the list at 10 (a tuple type); topProcessesByCpu returns at most TOP_PROCESSES.
    top_processes: topProcessesByCpu(processes) as GeneratorsHostTruth['top_processes'],
    churn: { ...model.churn },
  };
}

/** What the truth keeps of a host's processes at an export: references plus the CPU rates of that moment. */
export interface ProcessSnapshot {
  processes: readonly SimProcess[];
  cpuRates: Float64Array;
}

/** Captures the processes at an export (cheap: no per-process objects). */
export function snapshotProcesses(model: HostModel): ProcessSnapshot {
  const processes = model.processes();
  const cpuRates = new Float64Array(processes.length);
  processes.forEach((p, i) => (cpuRates[i] = p.cpuRate));
  return { processes, cpuRates };
}

/** The per-process list of a snapshot (GET /api/v1/truth?processes=true). Identity fields never change after creation. */
export function processList(s: ProcessSnapshot): GeneratorsTruthProcess[] {
  return s.processes.map((p, i) => {
    const out: GeneratorsTruthProcess = {
      pid: p.pid,
      executable_name: p.entry.executable,
      command_line: p.commandLine,
      owner: p.owner,
      priority_class: p.entry.priorityClass,
      cpu_rate: s.cpuRates[i],
    };
    if (p.containerId !== undefined) out.container_id = p.containerId;
    return out;
  });
}
