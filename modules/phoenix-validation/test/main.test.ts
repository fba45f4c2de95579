/** phoenix-validation as a real process (dist/main.js) and the bench:scenario CLI (dist/cli.js). Build first: npx tsc -b. */
import fs from 'node:fs';
import path from 'node:path';
import { freePorts, runCommand, type CommandResult } from '@phoenix/runtime';
import { spawnService } from '@phoenix/testkit';
import { type BenchmarkResult, validateBenchmarkResult } from '@phoenix/contracts';
import { FakeStack } from './fakeStack';
import { catalogYaml, quickSpikeScenario, tmpDir, VALIDATION_CLI, VALIDATION_MAIN } from './helpers';

/** Runs `node script args` to its end with `env` on top of this environment. */
function run(script: string, args: string[], env: Record<string, string>): Promise<CommandResult> {
  return runCommand(process.execPath, { args: [script, ...args], env, timeoutMs: 60_000 });
}

const CATALOG = catalogYaml(
  quickSpikeScenario(),
  ['  - name: impossible', '    description: asks for what the fake stack never does', '    profile: steady', '    duration_seconds: 60', '    slo:', '      peak_modes: [balanced]'].join('\n'),
);

describe('phoenix-validation processes', () => {
  beforeAll(() => {
    expect(fs.existsSync(VALIDATION_MAIN)).toBe(true); // build first: npx tsc -b
    expect(fs.existsSync(VALIDATION_CLI)).toBe(true);
  });

  it('the service starts from the environment, logs JSON, and stops cleanly on SIGTERM', async () => {
    const [port] = await freePorts(1);
    const dir = tmpDir();
    const svc = await spawnService(VALIDATION_MAIN, { PHOENIX_VALIDATION_PORT: String(port), PHOENIX_DATA_DIR: dir, PHOENIX_BIND_ADDRESS: '127.0.0.1' }, { healthUrl: `http://127.0.0.1:${port}/health` });
    const code = await svc.stop();
    expect(code).toBe(0);
    const lines = svc.output().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'phoenix-validation started', service: 'phoenix-validation', api: `http://127.0.0.1:${port}`, auth: 'loopback only' });
    expect(lines[lines.length - 1]).toMatchObject({ msg: 'stopped' });
    expect(fs.existsSync(path.join(dir, 'validation.sqlite'))).toBe(true);
  });

  it('an invalid environment exits 2 with a JSON error naming each key and its variable', async () => {
    const r = await run(VALIDATION_MAIN, [], { PHOENIX_DATA_DIR: tmpDir(), PHOENIX_BIND_ADDRESS: '0.0.0.0', PHOENIX_VALIDATION_SAMPLE_INTERVAL_SECONDS: '0' });
    expect(r.code).toBe(2);
    const rec = JSON.parse(r.stdout.trim().split('\n')[0]) as { level: string; errors: string[] };
    expect(rec.level).toBe('error');
    expect(rec.errors).toEqual([
      'runner.sampleIntervalSeconds (PHOENIX_VALIDATION_SAMPLE_INTERVAL_SECONDS): must be > 0 (got 0)',
      expect.stringMatching(/^api\.bindAddress \(PHOENIX_BIND_ADDRESS\): refusing to bind the benchmark API to non-loopback 0\.0\.0\.0 without a token/),
    ]);
  });

  describe('bench:scenario CLI (fake stack)', () => {
    const stack = new FakeStack();
    let dir = '';
    let env: Record<string, string> = {};
    beforeAll(async () => {
      await stack.start();
      stack.budget = 8000;
      dir = tmpDir();
      fs.writeFileSync(path.join(dir, 'catalog.yaml'), CATALOG);
      env = { ...stack.env(), PHOENIX_DATA_DIR: dir, PHOENIX_VALIDATION_CATALOG: path.join(dir, 'catalog.yaml'), PHOENIX_VALIDATION_RECALL_MIN_AGE_SECONDS: '0' };
    });
    afterAll(() => stack.stop());

    it('runs a scenario: progress on stderr, the scores as a table, JSON and HTML reports; exit 0 when it passed', async () => {
      const out = path.join(dir, 'out');
      const r = await run(VALIDATION_CLI, ['quick_spike', '--time-scale', '0.02', '--out', out], env);
      expect([r.code, r.stderr]).toEqual([0, expect.stringMatching(/\[#{30}\] 100% completed/)]);
      expect(r.stdout).toMatch(/scenario quick_spike \(time scale 0\.02\): run \S+ completed/);
      expect(r.stdout).toMatch(/verdict\s+PASSED/);
      expect(r.stdout).toMatch(/peak_mode\s+aggressive\s+aggressive\s+ok/);
      const json = /JSON: (\S+)/.exec(r.stdout)![1];
      const html = /HTML: (\S+)/.exec(r.stdout)![1];
      const result = JSON.parse(fs.readFileSync(json, 'utf8')) as BenchmarkResult;
      expect(validateBenchmarkResult(result).ok).toBe(true);
      expect(result).toMatchObject({ scenario: 'quick_spike', passed: true, time_scale: 0.02 });
      expect(fs.readFileSync(html, 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*<svg/);
      expect(path.dirname(json)).toBe(out);
    });

    it('exit 1 when an SLO fails; exit 2 on bad usage or an unknown scenario; --list', async () => {
      const failed = await run(VALIDATION_CLI, ['impossible', '--time-scale', '0.02', '--quiet'], env);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/verdict\s+FAILED/);
      expect(failed.stdout).toMatch(/peak_mode\s+balanced\s+conservative\s+FAILED/);
      expect(fs.existsSync(path.join(dir, 'reports'))).toBe(true); // default: $PHOENIX_DATA_DIR/reports
      expect((await run(VALIDATION_CLI, ['nope'], env)).stderr).toMatch(/unknown scenario "nope"; known: quick_spike, impossible/);
      expect((await run(VALIDATION_CLI, ['nope'], env)).code).toBe(2);
      expect((await run(VALIDATION_CLI, ['quick_spike', '--time-scale', '7'], env)).code).toBe(2);
      expect((await run(VALIDATION_CLI, [], env)).code).toBe(2);
      const list = await run(VALIDATION_CLI, ['--list'], env);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/quick_spike\s+spike\s+120/);
    });
  });
});
