/**
 * The control file, live: rewritten on disk like the actuator does (temp file + rename), the core
 * switches the active output within 1 s without losing state; an invalid file changes nothing
 * and is counted with its reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { waitFor } from '@phoenix/testkit';
import { parseExposition, sampleValue } from '@phoenix/runtime';
import type { CoreService } from '../src/service/coreService';
import { scrape, startCore } from './startCore';
import { Workload } from './workload';

function writeAtomically(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function controlDoc(generation: number, mode: string, profile: string, k: number): string {
  return YAML.stringify({
    version: 1,
    generation,
    mode,
    profile,
    topk: { k },
    target_series: 1000,
    updated_at: new Date().toISOString(),
    source: 'actuator',
    reason: `test generation ${generation}`,
    override: { expires_at: null },
  });
}

describe('live control file', () => {
  let core: CoreService;
  let url: (w: 'fullFidelity' | 'active' | 'observatory' | 'otlpHttp' | 'optimized' | 'experimentalTopk') => string;
  let controlFile: string;
  const w = new Workload({ hosts: 2, processes: 40, seed: 11 });

  async function pushRound(): Promise<void> {
    w.step();
    for (const body of w.requests(Date.now())) {
      const res = await fetch(url('otlpHttp'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
    }
  }

  async function observatory() {
    return parseExposition(await scrape(url('observatory')), { strict: true });
  }

  beforeAll(async () => {
    const s = await startCore();
    core = s.core;
    url = s.url;
    controlFile = s.core.config.controlFile;
    await pushRound();
    await pushRound();
    core.rank();
  });
  afterAll(async () => {
    await core.stop();
  });

  test('a missing file at start means the documented defaults: conservative mode, full_fidelity active', async () => {
    expect(fs.existsSync(controlFile)).toBe(false);
    expect(await scrape(url('active'))).toBe(await scrape(url('fullFidelity')));
    const obs = await observatory();
    expect(sampleValue(obs, 'phoenix_control_file_reloads_total', { result: 'missing' })).toBe(1);
    expect(sampleValue(obs, 'phoenix_control_mode_info', { mode: 'conservative', profile: 'balanced' })).toBe(1);
    expect(sampleValue(obs, 'phoenix_control_generation')).toBe(0);
    expect(sampleValue(obs, 'phoenix_control_topk_k')).toBe(20);
    expect(sampleValue(obs, 'phoenix_active_pipeline_info', { pipeline: 'full_fidelity' })).toBe(1);
  });

  test('rename-over to aggressive/k=3 switches :8892 to top-k (its latency is a bench figure); :8888 counters continue without reset', async () => {
    const before = parseExposition(await scrape(url('fullFidelity')), { strict: true });
    writeAtomically(controlFile, controlDoc(1, 'aggressive', 'aggressive', 3));
    await waitFor(async () => (await scrape(url('active'))) === (await scrape(url('experimentalTopk'))) && core.topk.currentK === 3, {
      timeoutMs: 10_000,
      intervalMs: 10,
      what: 'the active output to switch to experimental_topk',
    });
    const active = parseExposition(await scrape(url('active')), { strict: true });
    // 3 individual processes per host for a gauge family, plus one others (counter groups the other
    // processes left keep their carried value until the empty-group TTL)
    const threads = active.samples.filter((s) => s.name === 'process_threads' && s.labels.host_name === 'host-0');
    expect(threads.filter((s) => s.labels.phoenix_rollup !== 'others')).toHaveLength(3);
    expect(threads.filter((s) => s.labels.phoenix_rollup === 'others')).toHaveLength(1);

    await pushRound();
    const after = parseExposition(await scrape(url('fullFidelity')), { strict: true });
    for (const s of before.samples.filter((x) => x.name.endsWith('_total'))) {
      const now = after.samples.find((x) => x.name === s.name && JSON.stringify(x.labels) === JSON.stringify(s.labels));
      if (now) expect(now.value).toBeGreaterThanOrEqual(s.value);
    }
    expect(after.samples.length).toBeGreaterThanOrEqual(before.samples.length);
    const obs = await observatory();
    expect(sampleValue(obs, 'phoenix_control_generation')).toBe(1);
    expect(sampleValue(obs, 'phoenix_control_mode_info', { mode: 'aggressive', profile: 'aggressive' })).toBe(1);
    expect(sampleValue(obs, 'phoenix_control_topk_k')).toBe(3);
    expect(sampleValue(obs, 'phoenix_control_file_reloads_total', { result: 'success' })).toBe(1);
    expect(sampleValue(obs, 'phoenix_active_pipeline_info', { pipeline: 'experimental_topk' })).toBe(1);
  });

  test.each([
    ['an unknown mode', controlDoc(2, 'turbo', 'balanced', 3), /mode: must be one of/],
    ['unparseable YAML', 'version: 1\nmode: [unclosed\n', /not valid YAML/],
    ['a k of zero', controlDoc(2, 'balanced', 'balanced', 0), /topk\.k: must be >= 1/],
    ['a missing field', 'version: 1\ngeneration: 2\nmode: balanced\n', /profile: is required/],
  ])('%s is rejected whole: nothing changes, the rejection is counted with its reason', async (_name, text, reason) => {
    const obsBefore = await observatory();
    const rejectedBefore = sampleValue(obsBefore, 'phoenix_control_file_reloads_total', { result: 'rejected' });
    writeAtomically(controlFile, text);
    const obs = await waitFor(
      async () => {
        const o = await observatory();
        return sampleValue(o, 'phoenix_control_file_reloads_total', { result: 'rejected' }) === rejectedBefore + 1 ? o : undefined;
      },
      { timeoutMs: 2000, what: 'the rejection to be counted' },
    );
    const info = obs.samples.find((s) => s.name === 'phoenix_control_file_last_rejection_info');
    expect(info?.labels.reason).toMatch(reason);
    expect(sampleValue(obs, 'phoenix_control_generation')).toBe(1);
    expect(sampleValue(obs, 'phoenix_control_mode_info', { mode: 'aggressive', profile: 'aggressive' })).toBe(1);
    expect(core.active).toBe('experimental_topk');
    expect(core.topk.currentK).toBe(3);
  });

  test('a later valid file applies again: balanced mode serves the optimized pipeline', async () => {
    writeAtomically(controlFile, controlDoc(2, 'balanced', 'conservative', 5));
    await waitFor(async () => core.active === 'optimized' && (await scrape(url('active'))) === (await scrape(url('optimized'))), {
      timeoutMs: 1000,
      intervalMs: 10,
      what: 'the active output to switch to optimized',
    });
    expect(core.optimized.currentProfile).toBe('conservative');
    const active = parseExposition(await scrape(url('active')), { strict: true });
    expect(active.samples.every((s) => !('process_pid' in s.labels) && !('process_command_line' in s.labels))).toBe(true);
  });
});
