'use strict';
/**
 * Ingest throughput: a fresh phoenix-core per run; the replay loader (separate process) first
 * sends one round of N series (creating them), then warms the core up at maximum rate for 2 s
 * (JIT, heap growth), then a third loader sends the same series round after round at maximum rate
 * for BENCH_INGEST_SECONDS; the figure is its achieved_rate (accepted data points per second of
 * wall time). A loader report with a failed request or a rejected point fails the run. Variants: OTLP/HTTP protobuf and OTLP/gRPC through all three
 * pipelines and the active output, and OTLP/HTTP with PHOENIX_REDUCTION_ENABLED=false (full fidelity
 * only) for comparison. The runs of the variants are interleaved so drift hits all alike.
 */
const { startCore } = require('./lib/core');
const { runReplay, oneRound, assertClean, summary, MAX_RATE } = require('./lib/replay');
const { figure } = require('./lib/figure');

/** @typedef {import('./lib/core').Core} Core */
/** @typedef {import('@phoenix/generators').ReplayProtocol} ReplayProtocol */

/**
 * One ingest figure: the protocol, the core's extra environment, the target.
 * @typedef {object} Variant
 * @property {string} id
 * @property {ReplayProtocol} protocol
 * @property {Record<string, string>} env
 * @property {boolean} [unpinned] neither the core nor the loader pinned to CPUs
 * @property {string} name
 * @property {import('./lib/figure').Target} [target]
 */

/** @type {Variant[]} */
const VARIANTS = [
  {
    id: 'ingest.http',
    protocol: 'http',
    env: {},
    name: 'OTLP/HTTP protobuf ingest, all three pipelines + active output, one core',
    target: { op: '>=', value: 400_000 },
  },
  {
    id: 'ingest.grpc',
    protocol: 'grpc',
    env: {},
    name: 'OTLP/gRPC ingest, all three pipelines + active output, one core',
    target: { op: '>=', value: 300_000 },
  },
  {
    // issue 8's two-core figure: the series space sharded by host over 2 worker threads
    // (PHOENIX_CORE_SHARDS=2), the receivers on the main thread; core and loader unpinned, so the
    // loader shares the two cores
    id: 'ingest.http_two_cores',
    protocol: 'http',
    env: { PHOENIX_CORE_SHARDS: '2' },
    unpinned: true,
    name: 'OTLP/HTTP protobuf ingest, all three pipelines + active output, both cores (PHOENIX_CORE_SHARDS=2; core and loader unpinned)',
    target: { op: '>=', value: 1_000_000 },
  },
  {
    // the same two cores with the single-threaded core (one JS thread; V8's GC and compiler threads
    // and libuv use the second core), for comparison
    id: 'ingest.http_two_cores_one_thread',
    protocol: 'http',
    env: {},
    unpinned: true,
    name: '(comparison) the same, single-threaded core (PHOENIX_CORE_SHARDS=1)',
  },
  {
    id: 'ingest.http_full_fidelity_only',
    protocol: 'http',
    env: { PHOENIX_REDUCTION_ENABLED: 'false' },
    name: '(comparison) OTLP/HTTP ingest, PHOENIX_REDUCTION_ENABLED=false',
  },
];

const WARMUP_SECONDS = 2;

/**
 * Creates the series and warms the core up at maximum rate.
 * @param {Core} core
 * @param {{ series: number, protocol: ReplayProtocol }} load
 */
async function warmUp(core, { series, protocol }) {
  const endpoint = protocol === 'grpc' ? core.grpcEndpoint : core.httpEndpoint;
  await oneRound({ series, endpoint, protocol });
  assertClean(await runReplay({ series, rate: MAX_RATE, duration: WARMUP_SECONDS, endpoint, protocol }), `${protocol} warm-up`);
}

/**
 * Series creation, warm-up, then one measured max-rate run: resolves with the loader's report (clean, or throws).
 * @param {Core} core
 * @param {{ series: number, protocol: ReplayProtocol, seconds: number }} load
 */
async function maxRateRun(core, { series, protocol, seconds }) {
  const endpoint = protocol === 'grpc' ? core.grpcEndpoint : core.httpEndpoint;
  await warmUp(core, { series, protocol });
  const cpu0 = core.cpuSeconds();
  const report = assertClean(await runReplay({ series, rate: MAX_RATE, duration: seconds, endpoint, protocol }), `${protocol} ingest`);
  if (core.exited) throw new Error(`phoenix-core exited during the run (${JSON.stringify(core.exited)})`);
  // share of one CPU the core used while the loader sent (≈ 1: the core was the bottleneck)
  return Object.assign(report, { core_cpu_fraction: Math.round(((core.cpuSeconds() - cpu0) / report.duration_seconds) * 100) / 100 });
}

/**
 * @param {import('./lib/config').BenchContext} ctx
 * @returns {Promise<import('./lib/figure').Figure[]>}
 */
async function measureIngest(ctx) {
  const { runs, series, ingestSeconds } = ctx.config;
  /** @type {{ values: number[], errors: string[], reports: object[] }[]} */
  const per = VARIANTS.map(() => ({ values: [], errors: [], reports: [] }));
  for (let r = 0; r < runs; r++) {
    for (let v = 0; v < VARIANTS.length; v++) {
      const variant = VARIANTS[v];
      let core;
      const pin = process.env.BENCH_PIN;
      if (variant.unpinned) process.env.BENCH_PIN = '0';
      try {
        core = await startCore(variant.env);
        const report = await maxRateRun(core, { series, protocol: variant.protocol, seconds: ingestSeconds });
        per[v].values.push(report.achieved_rate);
        per[v].reports.push({ ...summary(report), core_cpu_fraction: report.core_cpu_fraction });
        ctx.log(
          `${variant.id} run ${r + 1}/${runs}: ${Math.round(report.achieved_rate)} points/s (${report.rounds} rounds, p99 ${report.latency_ms.p99} ms, core CPU ${report.core_cpu_fraction}, loader CPU ${report.loader_cpu_seconds} s)`,
        );
      } catch (err) {
        const { message } = /** @type {Error} */ (err);
        per[v].errors.push(`run ${r + 1}: ${message}`);
        ctx.log(`${variant.id} run ${r + 1}/${runs} FAILED: ${message}`);
      } finally {
        await core?.stop();
        if (variant.unpinned) {
          if (pin === undefined) delete process.env.BENCH_PIN;
          else process.env.BENCH_PIN = pin;
        }
      }
    }
  }
  const figures = VARIANTS.map((variant, v) =>
    figure({
      id: variant.id,
      name: `${variant.name}, ${series.toLocaleString('en-US')} series`,
      unit: 'points/s',
      values: per[v].values,
      target: variant.target,
      errors: per[v].errors,
      details: { series, seconds: ingestSeconds, protocol: variant.protocol, env: variant.env, pinned: !variant.unpinned, reports: per[v].reports },
    }),
  );
  if (figures[0].runs > 0) ctx.maxHttpRate = figures[0].median;
  return figures;
}

module.exports = { measureIngest, maxRateRun, warmUp };
