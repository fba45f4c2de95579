#!/usr/bin/env node
/**
 * npm run bench:scenario -- <scenario> [--time-scale S] [--out DIR] [--local-stack [--budget N] [--stack-env KEY=VALUE]...]
 *
 * Runs one catalog scenario against a running stack (the URLs of the environment, like the service), shows a
 * progress bar on stderr, prints the scores as a table and writes the JSON result and the HTML report.
 * Exit code: 0 passed, 1 SLOs failed or the run failed / was cancelled, 2 bad usage or configuration.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchmarkResult, BenchmarkRun } from '@phoenix/contracts';
import { preservationScore } from './analyzers/ratios';
import { loadConfig } from './config';
import { createLogger } from '@phoenix/runtime';
import { openValidationCore } from './service';
import { startLocalStack, type LocalStack } from './stack/localStack';

const USAGE = `usage: npm run bench:scenario -- <scenario> [options]

  --time-scale S        shrink every duration of the scenario (0.01..1, default 1)
  --out DIR             where the JSON and HTML reports go (default $PHOENIX_VALIDATION_REPORT_DIR or ./data/reports)
  --local-stack         start core, control and generators on free ports with intervals scaled to S (needs npx tsc -b)
  --budget N            budget of the local stack (default $PHOENIX_TARGET_SERIES or 4000)
  --stack-env KEY=VALUE extra environment of the local stack's processes (repeatable)
  --list                list the scenarios and exit
  --quiet               no progress bar
  --help`;

function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  return String(Number(v.toFixed(digits)));
}

function pct(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : `${(v * 100).toFixed(1)}%`;
}

/** A plain-text table with aligned columns. */
export function textTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The scores of a result as the CLI prints them. */
export function scoresText(r: BenchmarkResult): string {
  const c = r.control;
  const rows: string[][] = [
    ['verdict', r.passed ? 'PASSED' : 'FAILED'],
    ['budget', `${r.budget_series} series (fleet ${r.fleet.hosts} hosts)`],
    ['modes', `${c.initial_mode ?? 'n/a'} -> peak ${c.peak_mode ?? 'n/a'} -> final ${c.final_mode ?? 'n/a'}`],
    ['transitions', `${c.transitions_total} (flaps ${c.flaps})`],
    ['settling after steps', c.steps.length === 0 ? 'no step' : c.steps.map((s) => `${s.kind}@${fmt(s.at_seconds, 0)}s: ${s.settled_after_seconds === null ? 'never' : `${fmt(s.settled_after_seconds, 1)}s`}`).join(', ')],
    ['active series mean / max / last', `${fmt(r.series.active.mean, 0)} / ${fmt(r.series.active.max, 0)} / ${fmt(r.series.active.last, 0)}`],
    ['full_fidelity series mean / max', `${fmt(r.series.full_fidelity.mean, 0)} / ${fmt(r.series.full_fidelity.max, 0)}`],
    ['cost reduction (active)', pct(r.cost_reduction.active.mean)],
    ['totals preservation (worst)', fmt(preservationScore(r.totals_preservation.active.worst), 9)],
    ['heavy-hitter recall (active / topk)', `${fmt(r.heavy_hitter_recall.active.recall, 4)} / ${fmt(r.heavy_hitter_recall.experimental_topk.recall, 4)} (${r.heavy_hitter_recall.active.eligible} scored)`],
    ['overshoot / time over budget', `${pct(c.overshoot_ratio)} / ${fmt(c.time_over_budget_seconds, 1)} s`],
    ['freshness p50 / p99', `${fmt(r.freshness.p50_seconds)} s / ${fmt(r.freshness.p99_seconds)} s`],
    ['core CPU / peak memory', `${fmt(r.resources.core_cpu_seconds, 2)} s / ${fmt(r.resources.core_peak_memory_bytes === null ? null : r.resources.core_peak_memory_bytes / 1048576, 1)} MiB`],
    ['monthly cost before / after / saved', `${fmt(r.cost.before.total, 2)} / ${fmt(r.cost.after.total, 2)} / ${fmt(r.cost.saved.total, 2)} ${r.cost.currency} (${pct(r.cost.saved_ratio)})`],
  ];
  const slo = textTable(
    ['SLO', 'expected', 'measured', ''],
    r.slo.checks.map((ch) => [ch.name, ch.expected, ch.actual, ch.passed ? 'ok' : 'FAILED']),
  );
  return `${textTable(['score', 'value'], rows)}\n\n${slo}`;
}

function progressLine(run: BenchmarkRun): string {
  const p = run.progress;
  const f = run.state === 'completed' ? 1 : (p?.fraction ?? 0);
  const width = 30;
  const done = Math.round(f * width);
  const bar = `[${'#'.repeat(done)}${'.'.repeat(width - done)}]`;
  if (!p) return `${bar} ${(f * 100).toFixed(0).padStart(3)}% ${run.state}${run.reason ? `: ${run.reason}` : ''}`;
  return `${bar} ${(f * 100).toFixed(0).padStart(3)}% ${run.state} · ${p.phase ?? ''} · ${fmt(p.scenario_seconds, 0)}/${fmt(p.duration_seconds, 0)} scenario s · mode ${p.mode ?? '?'} · active ${fmt(p.active_series ?? null, 0)}`;
}

async function main(): Promise<number> {
  // Through `npm run bench:scenario` npm runs this in the module's directory: relative paths (./data, --out) are
  // meant from where the command was typed.
  if (process.env.INIT_CWD && process.env.INIT_CWD !== process.cwd()) process.chdir(process.env.INIT_CWD);
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        'time-scale': { type: 'string' },
        out: { type: 'string' },
        'local-stack': { type: 'boolean' },
        budget: { type: 'string' },
        'stack-env': { type: 'string', multiple: true },
        list: { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const o = args.values;
  if (o.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const timeScale = o['time-scale'] === undefined ? 1 : Number(o['time-scale']);
  if (!Number.isFinite(timeScale) || timeScale < 0.01 || timeScale > 1) {
    process.stderr.write(`--time-scale: must be a number from 0.01 to 1 (got ${JSON.stringify(o['time-scale'])})\n`);
    return 2;
  }
  const extraEnv: Record<string, string> = {};
  for (const kv of o['stack-env'] ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) {
      process.stderr.write(`--stack-env: expected KEY=VALUE (got ${JSON.stringify(kv)})\n`);
      return 2;
    }
    extraEnv[kv.slice(0, i)] = kv.slice(i + 1);
  }
  const budget = Number(o.budget ?? process.env.PHOENIX_TARGET_SERIES ?? 4000);
  if (!Number.isInteger(budget) || budget < 1) {
    process.stderr.write(`--budget: must be a positive integer (got ${JSON.stringify(o.budget)})\n`);
    return 2;
  }

  let stack: LocalStack | undefined;
  const stopStack = async (): Promise<void> => {
    if (stack) await stack.stop();
    stack = undefined;
  };
  const base = loadConfig(process.env);
  if (base.errors.length > 0) {
    process.stderr.write(`invalid configuration:\n  ${base.errors.join('\n  ')}\n`);
    return 2;
  }
  const log = createLogger({ level: process.env.PHOENIX_LOG_LEVEL === 'debug' ? 'debug' : 'warn', sink: (line) => process.stderr.write(`\n${line}\n`), fields: { service: 'phoenix-validation-cli' } });
  let core;
  try {
    core = openValidationCore(base.config, { log, origin: 'cli' });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  if (o.list) {
    process.stdout.write(
      `${textTable(
        ['scenario', 'profile', 'duration (scenario s)', 'description'],
        core.catalog.scenarios.map((s) => [s.name, s.profile, String(s.duration_seconds), s.description.replace(/\s+/g, ' ').slice(0, 90)]),
      )}\n`,
    );
    core.store.close();
    return 0;
  }
  const scenario = args.positionals[0];
  if (!scenario || args.positionals.length > 1) {
    process.stderr.write(`${USAGE}\n`);
    core.store.close();
    return 2;
  }
  if (!core.catalog.scenarios.some((s) => s.name === scenario)) {
    process.stderr.write(`unknown scenario ${JSON.stringify(scenario)}; known: ${core.catalog.scenarios.map((s) => s.name).join(', ')}\n`);
    core.store.close();
    return 2;
  }
  if (o['local-stack']) {
    core.store.close();
    process.stderr.write(`starting a local stack (time scale ${timeScale}, budget ${budget})...\n`);
    try {
      stack = await startLocalStack({ timeScale, budget, extraEnv, dataDir: undefined });
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\n`);
      return 1;
    }
    // The local stack's runs go to its own database (unless PHOENIX_VALIDATION_DB says otherwise).
    stack.env.PHOENIX_VALIDATION_DB = process.env.PHOENIX_VALIDATION_DB ?? path.join(stack.dataDir, 'validation.sqlite');
    const withStack = loadConfig({ ...process.env, ...stack.env });
    if (withStack.errors.length > 0) {
      await stopStack();
      process.stderr.write(`invalid configuration:\n  ${withStack.errors.join('\n  ')}\n`);
      return 2;
    }
    core = openValidationCore(withStack.config, { log, origin: 'cli' });
  }
  const config = o['local-stack'] && stack ? loadConfig({ ...process.env, ...stack.env }).config : base.config;
  const { manager, store } = core;
  let run: BenchmarkRun;
  try {
    run = manager.start(scenario, timeScale);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    store.close();
    await stopStack();
    return 1;
  }
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write('\ncancelling...\n');
    manager.cancel(run.id, 'cancelled from the CLI (SIGINT)').catch(() => undefined);
  };
  process.on('SIGINT', onSigint);
  const tty = process.stderr.isTTY === true;
  let lastDecile = -1;
  const timer = setInterval(() => {
    if (o.quiet) return;
    const v = manager.view(run.id);
    if (!v) return;
    if (tty) process.stderr.write(`\r${progressLine(v).slice(0, (process.stderr.columns ?? 120) - 1).padEnd(Math.min(119, (process.stderr.columns ?? 120) - 1))}`);
    else {
      const d = Math.floor((v.progress?.fraction ?? 0) * 10);
      if (d !== lastDecile) {
        lastDecile = d;
        process.stderr.write(`${progressLine(v)}\n`);
      }
    }
  }, 250);
  await manager.whenIdle();
  clearInterval(timer);
  process.removeListener('SIGINT', onSigint);
  const final = manager.view(run.id) as BenchmarkRun;
  if (!o.quiet) process.stderr.write(`${tty ? '\r' : ''}${progressLine(final)}\n`);
  const outDir = path.resolve(o.out ?? config.reportDir);
  fs.mkdirSync(outDir, { recursive: true });
  const jsonPath = path.join(outDir, `${final.id}.json`);
  const htmlPath = path.join(outDir, `${final.id}.html`);
  let code = 1;
  let result: BenchmarkResult | undefined;
  try {
    result = manager.result(final.id);
  } catch {
    result = undefined;
  }
  fs.writeFileSync(jsonPath, JSON.stringify(result ?? final, null, 2) + '\n');
  fs.writeFileSync(htmlPath, manager.report(final.id));
  process.stdout.write(`\nscenario ${final.scenario} (time scale ${final.time_scale}): run ${final.id} ${final.state}${final.reason ? `: ${final.reason}` : ''}\n\n`);
  if (result) {
    process.stdout.write(`${scoresText(result)}\n`);
    if (result.warnings.length > 0) process.stdout.write(`\nwarnings:\n  ${result.warnings.join('\n  ')}\n`);
    code = result.passed ? 0 : 1;
  }
  process.stdout.write(`\nJSON: ${jsonPath}\nHTML: ${htmlPath}\n`);
  store.close();
  const stackOutput = stack?.output();
  await stopStack();
  if (final.state === 'failed' && stackOutput) process.stderr.write(`${stackOutput}\n`);
  return interrupted ? 130 : code;
}

if (require.main === module) {
  main()
    .then((code) => {
      process.exitCode = code;
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    });
}
