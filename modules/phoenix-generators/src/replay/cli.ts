#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { runReplay } from './runReplay';
import { validateReplayOptions, type ReplayOptions } from './replayOptions';

const USAGE = `usage: node dist/replay/cli.js --series N --rate R --duration S [--protocol http|grpc] [--endpoint URL]
       [--batch-size B] [--concurrency C] [--series-per-host H] [--timeout-ms T] [--header name=value]...
Sends pre-encoded OTLP/protobuf ExportMetricsServiceRequests for N series at R data points/s for S seconds
and prints a JSON report (contracts/schemas/generators_replay_report.schema.json) on stdout.
Defaults: --protocol grpc, --endpoint http://127.0.0.1:4317 (grpc) or http://127.0.0.1:4318/v1/metrics (http),
--batch-size 1000, --concurrency 8, --series-per-host 1000, --timeout-ms 10000.`;

/** Parses the replay CLI arguments; throws with a message naming the flag. */
export function parseReplayArgs(argv: string[]): ReplayOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      series: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      protocol: { type: 'string', default: 'grpc' },
      endpoint: { type: 'string' },
      'batch-size': { type: 'string' },
      concurrency: { type: 'string' },
      'series-per-host': { type: 'string' },
      'timeout-ms': { type: 'string' },
      header: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) throw new Error(USAGE);
  for (const required of ['series', 'rate', 'duration'] as const) {
    if (values[required] === undefined) throw new Error(`--${required} is required\n${USAGE}`);
  }
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const protocol = values.protocol as ReplayOptions['protocol'];
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const eq = h.indexOf('=');
    if (eq <= 0) throw new Error(`--header: expected name=value (got ${JSON.stringify(h)})`);
    headers[h.slice(0, eq).trim().toLowerCase()] = h.slice(eq + 1);
  }
  const options: ReplayOptions = {
    series: Number(values.series),
    rate: Number(values.rate),
    durationSeconds: Number(values.duration),
    protocol,
    endpoint: values.endpoint ?? (protocol === 'http' ? 'http://127.0.0.1:4318/v1/metrics' : 'http://127.0.0.1:4317'),
    batchSize: num(values['batch-size']),
    concurrency: num(values.concurrency),
    seriesPerHost: num(values['series-per-host']),
    timeoutMs: num(values['timeout-ms']),
    headers: Object.keys(headers).length > 0 ? headers : undefined,
  };
  const problems = validateReplayOptions(options);
  if (problems.length > 0) throw new Error(`${problems.map((p) => `--${p.replace(/_/g, '-')}`).join('\n')}\n${USAGE}`);
  return options;
}

async function main(): Promise<void> {
  let options: ReplayOptions;
  try {
    options = parseReplayArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const report = await runReplay(options);
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'replay failed', error: (err as Error).message })}\n`);
    process.exitCode = 1;
  });
}
