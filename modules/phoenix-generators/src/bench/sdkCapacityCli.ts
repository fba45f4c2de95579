#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadExporterConfig } from '../exporter/exporterConfig';
import { measureSdkCapacity } from './measureSdkCapacity';

const USAGE = `usage: node dist/bench/sdkCapacityCli.js [--endpoint URL] [--protocol grpc|http/protobuf|http/json]
       [--hosts 10] [--processes 100,500,1000,...] [--interval 10] [--measured 3]
Measures the SDK path: per processes-per-host step, the wall and CPU time of one export interval (all hosts),
stopping at the first step that is not sustained (an interval longer than --interval or a failed export).
Prints one JSON line per step, then {"largest_sustained_series_per_export": N}.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      endpoint: { type: 'string' },
      protocol: { type: 'string' },
      hosts: { type: 'string', default: '10' },
      processes: { type: 'string', default: '100,250,500,1000,2000,4000,8000' },
      interval: { type: 'string', default: '10' },
      measured: { type: 'string', default: '3' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const env = { ...process.env };
  if (values.endpoint) env.OTEL_EXPORTER_OTLP_ENDPOINT = values.endpoint;
  if (values.protocol) env.OTEL_EXPORTER_OTLP_PROTOCOL = values.protocol;
  const { config: exporter, errors: problems } = loadExporterConfig(env);
  const processes = (values.processes ?? '').split(',').map(Number);
  if (processes.some((p) => !Number.isInteger(p) || p < 1)) problems.push('--processes: a comma-separated list of integers >= 1');
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const steps = await measureSdkCapacity({
    exporter,
    hosts: Number(values.hosts),
    processesPerHost: processes,
    intervalSeconds: Number(values.interval),
    measured: Number(values.measured),
    onStep: (s) => process.stdout.write(JSON.stringify(s) + '\n'),
  });
  const sustained = steps.filter((s) => s.sustained);
  process.stdout.write(JSON.stringify({ largest_sustained_series_per_export: sustained.length ? sustained[sustained.length - 1].series_per_export : 0 }) + '\n');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  });
}
