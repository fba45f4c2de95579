import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidConfigError, ManualClock, silentLogger } from '@phoenix/runtime';
import { loadServiceConfig, type ServiceConfig } from './serviceConfig';
import { GeneratorsService } from './service';
import { createCaptureExporter, type CaptureExporter } from './testing/captureExporter';

function setup(env: Record<string, string> = {}): { svc: GeneratorsService; clock: ManualClock; exporters: CaptureExporter[] } {
  const { config, errors } = loadServiceConfig({ PHOENIX_GENERATORS_PORT: '0', ...env });
  expect(errors).toEqual([]);
  const clock = new ManualClock();
  const exporters: CaptureExporter[] = [];
  const svc = new GeneratorsService(config, {
    clock,
    log: silentLogger(),
    processMetrics: false,
    createExporter: () => {
      const e = createCaptureExporter();
      exporters.push(e);
      return e;
    },
  });
  return { svc, clock, exporters };
}

const health = (port: number): Promise<unknown> => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.json());

function invalid(config: ServiceConfig): string[] {
  try {
    new GeneratorsService(config, { log: silentLogger(), processMetrics: false });
  } catch (err) {
    if (err instanceof InvalidConfigError) return err.problems;
    throw err;
  }
  throw new Error('no InvalidConfigError');
}

describe('GeneratorsService lifecycle (start / stop, idempotent)', () => {
  test('start -> stop: the API answers while started, is closed after, and the generator is stopped', async () => {
    const { svc, clock, exporters } = setup();
    await svc.start();
    const port = svc.apiPort;
    expect(port).toBeGreaterThan(0);
    expect(await health(port)).toEqual({ status: 'ok', running: false });
    await svc.generator.setLoad({ hosts: 1, processes_per_host: 2 });
    await clock.advanceAsync(0);
    expect(svc.generator.status().exports.ok).toBe(1);
    await svc.stop();
    await expect(health(port)).rejects.toThrow('fetch failed');
    expect(svc.generator.isRunning).toBe(false);
    expect(exporters.map((e) => e.shutdowns)).toEqual([1]);
    await expect(svc.generator.setLoad({ hosts: 1 })).rejects.toThrow('the generator is stopped');
    await expect(svc.start()).rejects.toThrow('phoenix-generators is stopped; it cannot be started again');
  });

  test('PHOENIX_GENERATORS_SCENARIO starts that profile at boot, looping', async () => {
    const { svc, clock } = setup({ PHOENIX_GENERATORS_SCENARIO: 'steady' });
    await svc.start();
    await clock.advanceAsync(0);
    expect(svc.generator.status()).toMatchObject({ running: true, source: 'scenario', scenario: { name: 'steady', loop: true } });
    expect(await health(svc.apiPort)).toEqual({ status: 'ok', running: true });
    await svc.stop();
    expect(svc.generator.isRunning).toBe(false);
  });

  test('stop without start resolves; nothing listened, nothing was exported', async () => {
    const { svc, exporters } = setup();
    await svc.stop();
    expect(svc.apiPort).toBe(0);
    expect(exporters).toEqual([]);
    await expect(svc.generator.setLoad({ hosts: 1 })).rejects.toThrow('the generator is stopped');
  });

  test('stop twice is one stop; start twice is one start', async () => {
    const { svc } = setup();
    const started = svc.start();
    expect(svc.start()).toBe(started);
    await started;
    const port = svc.apiPort;
    const first = svc.stop();
    expect(svc.stop()).toBe(first);
    await first;
    await svc.stop();
    await expect(health(port)).rejects.toThrow('fetch failed');
  });
});

describe('GeneratorsService configuration problems (exit 2 through runService)', () => {
  test('an unknown boot scenario is named with the known ones', () => {
    const { config } = loadServiceConfig({ PHOENIX_GENERATORS_SCENARIO: 'nope' });
    expect(invalid(config)).toEqual(['autostartScenario (PHOENIX_GENERATORS_SCENARIO): unknown scenario "nope"; known: churn_storm, gradual_growth, spike, steady, wave']);
  });

  test('a profiles directory that cannot be read, or holds an invalid profile, is named', () => {
    const missing = path.join(os.tmpdir(), 'phoenix-generators-no-such-dir');
    expect(invalid(loadServiceConfig({ PHOENIX_GENERATORS_PROFILES_DIR: missing }).config)).toEqual([
      `profilesDir (PHOENIX_GENERATORS_PROFILES_DIR): ENOENT: no such file or directory, scandir '${missing}'`,
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-generators-profiles-'));
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'version: 1\nname: bad\n');
    const [problem] = invalid(loadServiceConfig({ PHOENIX_GENERATORS_PROFILES_DIR: dir }).config);
    expect(problem).toMatch(new RegExp(`^profilesDir \\(PHOENIX_GENERATORS_PROFILES_DIR\\): ${path.join(dir, 'bad.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: invalid load profile:\n  hosts: is required`));
  });
});
