'use strict';
/**
 * Knobs of `npm run bench` (environment variables):
 *   BENCH_RUNS            runs per figure (default 5; 1 with BENCH_QUICK)
 *   BENCH_MEMORY_RUNS     runs of the memory figure (default min(BENCH_RUNS, 3))
 *   BENCH_QUICK=1         short durations, 1 run, smaller series (development)
 *   BENCH_ONLY            comma list of groups: ingest,render,control,freshness,scrape,memory,fleet
 *   BENCH_SERIES          series of the ingest/render/freshness/scrape figures (default 100000; quick 20000)
 *   BENCH_MEMORY_SERIES   input series of the memory figure (default 1000000; quick 100000)
 *   BENCH_INGEST_SECONDS  wall time of one max-rate ingest run (default 10; quick 3)
 *   BENCH_PIN=0           do not pin the core to CPU 0 and the load generator to the other CPUs
 *   BENCH_FLEET_AGENTS    simulated agents of the fleet figures (default 10000; quick 1000)
 *   BENCH_FLEET_TASKS     tasks dispatched per database (default 2000; quick 300), at BENCH_FLEET_TASK_RATE/s (50)
 *   BENCH_FLEET_HEARTBEAT_SECONDS  heartbeat load per database (default 10; quick 3)
 *   BENCH_FLEET_IDLE_SECONDS       the real agent's idle measurement (default 30; quick 10)
 */
const GROUPS = ['ingest', 'render', 'control', 'freshness', 'scrape', 'memory', 'fleet'];

/**
 * @param {string} name environment variable
 * @param {number} dflt its value when unset or empty
 * @returns {number}
 */
function num(name, dflt) {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: expected a positive number, got ${JSON.stringify(v)}`);
  return n;
}

/** @typedef {ReturnType<typeof loadConfig>} BenchConfig */

/**
 * What every measurement gets: the configuration, the progress log, and the maximum OTLP/HTTP rate once the
 * ingest figure (or the freshness calibration) measured it.
 * @typedef {{ config: BenchConfig, log: (msg: string) => void, maxHttpRate: number | undefined }} BenchContext
 */

function loadConfig() {
  const quick = process.env.BENCH_QUICK === '1';
  const runs = num('BENCH_RUNS', quick ? 1 : 5);
  const only = (process.env.BENCH_ONLY || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const g of only) if (!GROUPS.includes(g)) throw new Error(`BENCH_ONLY: unknown group ${JSON.stringify(g)} (groups: ${GROUPS.join(', ')})`);
  return {
    quick,
    runs,
    memoryRuns: num('BENCH_MEMORY_RUNS', Math.min(runs, 3)),
    groups: only.length > 0 ? GROUPS.filter((g) => only.includes(g)) : GROUPS,
    series: num('BENCH_SERIES', quick ? 20_000 : 100_000),
    memorySeries: num('BENCH_MEMORY_SERIES', quick ? 100_000 : 1_000_000),
    ingestSeconds: num('BENCH_INGEST_SECONDS', quick ? 3 : 10),
    // scrape interference: each half (without / with scrapes) of one run
    scrapeSeconds: num('BENCH_SCRAPE_SECONDS', quick ? 4 : 10),
    controlSamples: num('BENCH_CONTROL_SAMPLES', quick ? 50 : 60),
    controlSeries: 2000,
    freshnessProbes: num('BENCH_FRESHNESS_PROBES', quick ? 50 : 60),
    renderScrapes: 5,
    fleetAgents: num('BENCH_FLEET_AGENTS', quick ? 1000 : 10_000),
    fleetTasks: num('BENCH_FLEET_TASKS', quick ? 300 : 2000),
    fleetTaskRate: num('BENCH_FLEET_TASK_RATE', 50),
    fleetHeartbeatSeconds: num('BENCH_FLEET_HEARTBEAT_SECONDS', quick ? 3 : 10),
    fleetIdleSeconds: num('BENCH_FLEET_IDLE_SECONDS', quick ? 10 : 30),
  };
}

module.exports = { loadConfig, GROUPS };
