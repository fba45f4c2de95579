import type { Attributes } from '@opentelemetry/api';
import { cpuSystemSeconds, cpuUserSeconds, type SimProcess } from '../workload/simProcess';

/** One of the simulated semantic-convention process instruments. */
export interface ProcessMetricDefinition {
  /** OpenTelemetry instrument name. */
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  /** counter: asynchronous monotonic Counter; gauge: asynchronous UpDownCounter (a non-monotonic sum). */
  readonly type: 'counter' | 'gauge';
  /** Name on a Prometheus endpoint under the OTel to Prometheus rules. */
  readonly prometheusName: string;
  /** The metric's own attribute and its values (one series per value and process). */
  readonly attribute?: { readonly key: string; readonly values: readonly string[] };
  /** The process's reading, for `attributeValue` when the metric has an attribute. */
  value(p: SimProcess, attributeValue?: string): number;
}

/** The five instruments every simulated process reports (7 series per process). */
export const PROCESS_METRICS: readonly ProcessMetricDefinition[] = [
  {
    name: 'process.cpu.time',
    unit: 's',
    description: 'Total CPU seconds broken down by different CPU states.',
    type: 'counter',
    prometheusName: 'process_cpu_time_seconds_total',
    attribute: { key: 'state', values: ['user', 'system'] },
    value: (p, state) => (state === 'user' ? cpuUserSeconds(p) : cpuSystemSeconds(p)),
  },
  {
    name: 'process.memory.usage',
    unit: 'By',
    description: 'The amount of physical memory in use.',
    type: 'gauge',
    prometheusName: 'process_memory_usage_bytes',
    value: (p) => p.memoryBytes,
  },
  {
    name: 'process.threads',
    unit: '{thread}',
    description: 'Process threads count.',
    type: 'gauge',
    prometheusName: 'process_threads',
    value: (p) => p.threads,
  },
  {
    name: 'process.open_file_descriptors',
    unit: '{count}',
    description: 'Number of file descriptors in use by the process.',
    type: 'gauge',
    prometheusName: 'process_open_file_descriptors',
    value: (p) => p.fds,
  },
  {
    name: 'process.disk.io',
    unit: 'By',
    description: 'Disk bytes transferred.',
    type: 'counter',
    prometheusName: 'process_disk_io_bytes_total',
    attribute: { key: 'direction', values: ['read', 'write'] },
    value: (p, direction) => (direction === 'read' ? p.diskReadBytes : p.diskWriteBytes),
  },
];

/** Series per process: one per metric and attribute value. */
export const SERIES_PER_PROCESS = PROCESS_METRICS.reduce((n, m) => n + (m.attribute ? m.attribute.values.length : 1), 0);

/** The identifying attributes of a process's data points (container.id only for containerised processes). */
export function processAttributes(p: SimProcess): Attributes {
  const attrs: Attributes = {
    'process.pid': p.pid,
    'process.executable.name': p.entry.executable,
    'process.command_line': p.commandLine,
    'process.owner': p.owner,
  };
  if (p.containerId !== undefined) attrs['container.id'] = p.containerId;
  return attrs;
}
