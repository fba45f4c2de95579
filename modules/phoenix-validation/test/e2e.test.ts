/**
 * End to end: phoenix-core, phoenix-control and phoenix-generators as real processes (built dist/, free ports,
 * every interval scaled to time scale 0.05 by startLocalStack), and phoenix-validation's service (dist/main.js)
 * driving them through its API. Build first: `npx tsc -b`.
 *
 * The core keeps process.pid in the optimized pipeline (PHOENIX_VOLATILE_ATTRIBUTES without it): with the default
 * (pid dropped) the generator's 29 executables collapse into at most 29 groups per host and rule-based reduction
 * alone absorbs a 5x spike, so top-k (aggressive) is never needed. Keeping the PID makes the spike need top-k.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnService, waitFor, type SpawnedService } from '@phoenix/testkit';
import type { BenchmarkResult, BenchmarkRun, GeneratorsLoadStatus, ValidationBenchmarkList } from '@phoenix/contracts';
import { preservationScore } from '../src/analyzers/ratios';
import { freePort } from '@phoenix/runtime';
import { startLocalStack, type LocalStack } from '../src/stack/localStack';
import { tmpDir, VALIDATION_MAIN } from './helpers';
import { call } from './openapi';

jest.setTimeout(240_000);
// The scenario runs at time scale 0.1 on two shared cores (0.05 lost a heavy hitter for one sample under the
// load of the full suite: recall 0.994, 3 attempts of 1 CI run in 2): its settling-time SLO depends on CPU
// contention from the rest of the suite (1 failure in ~14 full runs). A broken loop fails every
// attempt; a contended machine gets two more tries, each logged.
jest.retryTimes(2, { logErrorsBeforeRetry: true });

const TOKEN = 'e2e-validation-token-0123456789';
const TIME_SCALE = 0.1;
const BUDGET = 3000; // the catalog's fleets are sized for 10,000: 3 hosts here (1,680 series at rest, 8,400 in the spike)

describe('phoenix-validation against real core, control and generators', () => {
  let stack: LocalStack | undefined;
  let validation: SpawnedService | undefined;
  let base = '';
  let env: Record<string, string> = {};
  let spikeId = '';

  const startValidation = async (): Promise<SpawnedService> => {
    const svc = await spawnService(VALIDATION_MAIN, env, { healthUrl: `${base}/health`, timeoutMs: 20_000 });
    return svc;
  };

  beforeAll(async () => {
    expect(fs.existsSync(VALIDATION_MAIN)).toBe(true); // build first: npx tsc -b
    stack = await startLocalStack({ timeScale: TIME_SCALE, budget: BUDGET, token: TOKEN, extraEnv: { PHOENIX_VOLATILE_ATTRIBUTES: 'process.command_line,container.id' } });
    const port = await freePort();
    const dir = tmpDir('phoenix-validation-e2e-');
    base = `http://127.0.0.1:${port}`;
    env = {
      ...stack.env,
      PHOENIX_VALIDATION_PORT: String(port),
      PHOENIX_BIND_ADDRESS: '127.0.0.1',
      PHOENIX_DATA_DIR: dir,
      PHOENIX_VALIDATION_DB: path.join(dir, 'validation.sqlite'),
      PHOENIX_API_TOKEN: TOKEN,
      PHOENIX_ENV: 'ci',
      PHOENIX_LOG_LEVEL: 'info',
    };
    validation = await startValidation();
  });

  afterAll(async () => {
    const problems: string[] = [];
    if (validation) {
      const code = await validation.stop();
      if (code !== 0) problems.push(`phoenix-validation exited with ${String(code)}:\n${validation.output().slice(-4000)}`);
    }
    if (stack) {
      const codes = await stack.stop();
      for (const [name, code] of Object.entries(codes)) if (code !== 0) problems.push(`${name} exited with ${String(code)}`);
    }
    if (problems.length > 0) throw new Error(problems.join('\n'));
  });

  const diagnostics = (): string => `\n--- validation ---\n${validation?.output().slice(-4000)}\n${stack?.output()}`;

  const waitRun = (id: string, states: string[], timeoutMs: number): Promise<BenchmarkRun> =>
    waitFor(
      async () => {
        const run = (await call(base, 'GET', `/api/v1/benchmarks/${id}`)).body as BenchmarkRun;
        return states.includes(run.state) ? run : undefined;
      },
      { timeoutMs, intervalMs: 250, what: `run ${id} to be ${states.join(' or ')}` },
    ).catch((e: Error) => {
      throw new Error(e.message + diagnostics());
    });

  it('cardinality_spike at time scale 0.1 through the API: aggressive after the spike, back within the budget, totals and heavy hitters kept, passed', async () => {
    // Bad input first, against the real service.
    expect((await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, body: { scenario: 'no_such_scenario' } })).status).toBe(400);
    const malformed = await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, raw: '{"scenario":' });
    expect(malformed.status).toBe(400);
    const invalid = await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, body: { scenario: 'cardinality_spike', time_scale: 0 } });
    expect(invalid.body).toMatchObject({ details: ['time_scale: must be >= 0.01'] });

    const started = await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, body: { scenario: 'cardinality_spike', time_scale: TIME_SCALE } });
    expect(started.status).toBe(202);
    spikeId = (started.body as BenchmarkRun).id;
    const second = await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, body: { scenario: 'baseline_steady_state' } });
    expect(second.status).toBe(409);

    const done = await waitRun(spikeId, ['completed', 'failed', 'cancelled'], 180_000);
    expect([done.state, done.reason]).toEqual(['completed', undefined]);
    const r = (await call(base, 'GET', `/api/v1/benchmarks/${spikeId}/result`)).body as BenchmarkResult;
    const failed = r.slo.checks.filter((c) => !c.passed);
    if (failed.length > 0) {
      const timeline = r.samples.map((x) => `${x.offset_seconds.toFixed(0)}s ${x.phase} ${x.mode}/${x.profile} k=${x.k} full=${x.series.full_fidelity} active=${x.active_series}`);
      throw new Error(`SLOs failed: ${JSON.stringify(failed)}\nsteps: ${JSON.stringify(r.control.steps)}\n${timeline.join('\n')}`);
    }
    expect(r.passed).toBe(true);
    expect(r.budget_series).toBe(BUDGET);
    expect(r.fleet).toMatchObject({ hosts: 3, profile_hosts: 10, export_interval_seconds: 10 * TIME_SCALE }); // the profile exports every 10 s

    // The mode went to aggressive after the spike started (30 s), and the run saw the spike on full_fidelity.
    const toAggressive = r.control.transitions.find((t) => t.to_mode === 'aggressive');
    expect(toAggressive).toBeDefined();
    expect(toAggressive!.offset_seconds).toBeGreaterThan(30);
    expect(toAggressive!.reason).toMatch(/aggressive \(k=\d+\)/); // the actuator's reason, from the control API history
    expect(r.control.peak_mode).toBe('aggressive');
    expect(r.series.full_fidelity.max).toBeGreaterThan(3 * BUDGET);
    // The active output ended within the budget.
    expect(r.control.ended_within_budget).toBe(true);
    expect(r.control.final_active_series).toBeLessThanOrEqual(BUDGET);
    // Totals preservation is exactly 1 on the active output, whatever pipeline fed it.
    expect(preservationScore(r.totals_preservation.active.worst)).toBe(1);
    expect(r.totals_preservation.active.samples).toBeGreaterThan(50);
    // Recall of the true top-10 is 1, measured while top-k fed the active output too.
    expect(r.heavy_hitter_recall.active.recall).toBe(1);
    expect(r.heavy_hitter_recall.active.eligible).toBeGreaterThan(0);
    expect(r.probes.some((p) => p.active_pipeline === 'experimental_topk' && p.eligible > 0 && p.active_hits === p.eligible)).toBe(true);
    expect(r.freshness.probes).toBeGreaterThan(0);
    expect(r.cost.saved.total).toBeGreaterThan(0);

    // Finished: cancel -> 409; the report is there.
    expect((await call(base, 'DELETE', `/api/v1/benchmarks/${spikeId}`, { token: TOKEN })).status).toBe(409);
    const report = await call(base, 'GET', `/api/v1/benchmarks/${spikeId}/report`);
    expect(report.status).toBe(200);
    expect(report.text).toContain('PASSED');
  });

  it('killed mid-run (SIGKILL): after a restart the run is failed with the reason, no other run is lost, its load is stopped', async () => {
    const started = await call(base, 'POST', '/api/v1/benchmarks', { token: TOKEN, body: { scenario: 'baseline_steady_state', time_scale: 0.1 } });
    expect(started.status).toBe(202);
    const id = (started.body as BenchmarkRun).id;
    await waitFor(
      async () => {
        const run = (await call(base, 'GET', `/api/v1/benchmarks/${id}`)).body as BenchmarkRun;
        return run.state === 'running' && (run.progress?.samples ?? 0) >= 2;
      },
      { timeoutMs: 20_000, intervalMs: 100, what: 'the run to be running with samples' },
    );
    validation!.child!.kill('SIGKILL');
    expect(await validation!.stop()).toBe('SIGKILL');
    const generators = stack!.env.PHOENIX_GENERATORS_URL;
    expect(((await (await fetch(`${generators}/api/v1/load`)).json()) as GeneratorsLoadStatus).running).toBe(true); // the dead run's load goes on

    validation = await startValidation();
    const run = (await call(base, 'GET', `/api/v1/benchmarks/${id}`)).body as BenchmarkRun;
    expect(run.state).toBe('failed');
    expect(run.reason).toMatch(/^phoenix-validation \(service, pid \d+\) stopped while the run was running: the run cannot be resumed$/);
    expect(run.lifecycle.map((t) => t.to)).toEqual(['pending', 'running', 'failed']);
    // No other run lost: the completed spike run and its result are still there.
    const list = (await call(base, 'GET', '/api/v1/benchmarks')).body as ValidationBenchmarkList;
    expect(list.runs.map((x) => [x.id, x.state])).toEqual(expect.arrayContaining([[spikeId, 'completed'], [id, 'failed']]));
    const spike = await call(base, 'GET', `/api/v1/benchmarks/${spikeId}/result`);
    expect(spike.status).toBe(200);
    expect((spike.body as BenchmarkResult).run_id).toBe(spikeId);
    expect((await call(base, 'GET', '/health')).body).toMatchObject({ busy: false, recovered_runs: 1 });
    await waitFor(async () => !((await (await fetch(`${generators}/api/v1/load`)).json()) as GeneratorsLoadStatus).running, { timeoutMs: 10_000, what: 'the dead run\'s load to be stopped' });
    const lines = validation.output().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.msg === 'run left in flight marked failed' && l.run === id)).toBe(true);
  });
});
