#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { createLogger, systemClock } from '@phoenix/runtime';
import { loadExporterConfig, type OtlpProtocol } from '../exporter/exporterConfig';
import { Generator } from '../generator/generator';
import type { TickReport } from '../generator/tickReport';
import { defaultGeneratorConfig } from '../generator/generatorConfig';
import { defaultProfilesDir, resolveProfile } from '../profiles/loadProfiles';
import { profileDuration } from '../profiles/scenarioSchedule';
import { MODULE_VERSION } from '../version';
import { defaultWorkloadConfig } from '../workload/workloadConfig';

const USAGE = `usage: npm run generate -- --profile NAME|FILE.yaml [--duration SECONDS] [--seed N]
       [--endpoint URL] [--protocol grpc|http/protobuf|http/json] [--profiles-dir DIR]
Runs a load profile through the OpenTelemetry SDK against the OTLP endpoint (default: OTEL_EXPORTER_OTLP_ENDPOINT,
else http://127.0.0.1:4317 over gRPC) with a progress line on stderr, then prints a JSON summary on stdout.
--duration defaults to the profile's length (a looping profile without --duration runs until Ctrl-C).`;

/** Options of the generate CLI. */
export interface GenerateArgs {
  profile: string;
  durationSeconds?: number;
  seed?: number;
  endpoint?: string;
  protocol?: OtlpProtocol;
  profilesDir: string;
}

/** Parses the generate CLI arguments; throws with a message naming the flag. */
export function parseGenerateArgs(argv: string[]): GenerateArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      profile: { type: 'string' },
      duration: { type: 'string' },
      seed: { type: 'string' },
      endpoint: { type: 'string' },
      protocol: { type: 'string' },
      'profiles-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) throw new Error(USAGE);
  if (!values.profile) throw new Error(`--profile is required\n${USAGE}`);
  const out: GenerateArgs = { profile: values.profile, profilesDir: values['profiles-dir'] ?? defaultProfilesDir() };
  if (values.duration !== undefined) {
    const d = Number(values.duration);
    if (!(d > 0 && Number.isFinite(d))) throw new Error(`--duration: must be a number of seconds > 0 (got ${JSON.stringify(values.duration)})`);
    out.durationSeconds = d;
  }
  if (values.seed !== undefined) {
    const s = Number(values.seed);
    if (!Number.isInteger(s) || s < 0 || s > 4294967295) throw new Error(`--seed: must be an integer in 0..4294967295 (got ${JSON.stringify(values.seed)})`);
    out.seed = s;
  }
  if (values.endpoint !== undefined) out.endpoint = values.endpoint;
  if (values.protocol !== undefined) out.protocol = values.protocol as OtlpProtocol;
  return out;
}

/** The progress line of one export interval. */
export function formatProgress(profile: string, r: TickReport, totalSeconds: number | undefined, totals: { ok: number; failed: number }): string {
  const t = r.scenario ? r.scenario.elapsedSeconds : 0;
  const of = totalSeconds !== undefined ? `/${totalSeconds}s` : 's';
  const phase = r.scenario ? ` phase ${r.scenario.phase}` : '';
  return (
    `[${profile}] ${t}${of}${phase} | hosts ${r.hosts} processes ${r.processes} series ${r.series}` +
    ` | exports ok ${totals.ok} failed ${totals.failed} | interval took ${(r.durationMs / 1000).toFixed(2)}s`
  );
}

async function main(): Promise<void> {
  let args: GenerateArgs;
  try {
    args = parseGenerateArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const env = { ...process.env };
  if (args.endpoint) env.OTEL_EXPORTER_OTLP_ENDPOINT = args.endpoint;
  if (args.protocol) env.OTEL_EXPORTER_OTLP_PROTOCOL = args.protocol;
  const { config: exporter, errors: problems } = loadExporterConfig(env);
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exitCode = 2;
    return;
  }
  const profile = resolveProfile(args.profile, args.profilesDir);
  const log = createLogger({ level: 'warn', sink: (line) => process.stderr.write(`\n${line}\n`), fields: { service: 'phoenix-generators' } });
  const generator = new Generator({
    clock: systemClock,
    registry: new Registry(),
    log,
    exporter,
    workload: defaultWorkloadConfig,
    config: defaultGeneratorConfig,
    meterVersion: MODULE_VERSION,
  });
  const total = args.durationSeconds ?? (profile.loop ? undefined : profileDuration(profile));
  const totals = { ok: 0, failed: 0, ticks: 0, lastSeries: 0, maxSeries: 0 };
  const tty = process.stderr.isTTY === true;
  generator.onTick((r) => {
    totals.ok += r.ok;
    totals.failed += r.failed;
    totals.ticks++;
    totals.lastSeries = r.series;
    totals.maxSeries = Math.max(totals.maxSeries, r.series);
    const line = formatProgress(profile.name, r, total, totals);
    process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
  });
  const started = Date.now();
  process.on('SIGINT', () => void generator.stopLoad());
  process.on('SIGTERM', () => void generator.stopLoad());
  await generator.start();
  // the system clock's timers do not keep the process alive: hold it open until the scenario ends
  const keepAlive = setInterval(() => undefined, 60_000);
  await generator.startScenario(profile, { seed: args.seed, duration_seconds: total });
  await generator.whenIdle();
  await generator.stop();
  clearInterval(keepAlive);
  if (tty) process.stderr.write('\n');
  const summary = {
    profile: profile.name,
    seed: args.seed ?? profile.seed,
    exporter: { protocol: exporter.protocol, url: exporter.url },
    wall_seconds: (Date.now() - started) / 1000,
    export_intervals: totals.ticks,
    exports_ok: totals.ok,
    exports_failed: totals.failed,
    last_series_per_export: totals.lastSeries,
    max_series_per_export: totals.maxSeries,
  };
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  process.exitCode = totals.ok > 0 ? 0 : 1;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  });
}
