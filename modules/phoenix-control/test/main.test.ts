/** phoenix-control as a real process (dist/main.js): env -> config -> start, structured logs, SIGTERM clean shutdown. */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawnService, waitFor } from '@phoenix/testkit';
import { findSamples, parseExposition, runCommand, freePorts } from '@phoenix/runtime';
import { readControlFile, tmpDir } from './helpers';

const CONTROL_MAIN = path.resolve(__dirname, '../dist/main.js');

function fakeCore(port: number, full: () => number): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    const f = full();
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(
      [
        `phoenix_pipeline_series{pipeline="full_fidelity"} ${f}`,
        `phoenix_pipeline_series{pipeline="optimized"} ${f * 0.55}`,
        `phoenix_optimized_series_by_profile{profile="conservative"} ${f * 0.8}`,
        `phoenix_optimized_series_by_profile{profile="balanced"} ${f * 0.55}`,
        `phoenix_optimized_series_by_profile{profile="aggressive"} ${f * 0.35}`,
        'phoenix_topk_streams 60',
        '',
      ].join('\n'),
    );
  });
  return new Promise((r) => server.listen(port, '127.0.0.1', () => r(server)));
}

describe('phoenix-control process (dist/main.js)', () => {
  beforeAll(() => {
    expect(fs.existsSync(CONTROL_MAIN)).toBe(true); // build first: npx tsc -b
  });

  it('starts from the environment, acts on the core KPIs, logs JSON, and stops cleanly on SIGTERM', async () => {
    const [corePort, api, obs] = await freePorts(3);
    let full = 15000;
    const core = await fakeCore(corePort, () => full);
    const dir = tmpDir();
    const svc = await spawnService(
      CONTROL_MAIN,
      {
        PHOENIX_CORE_URL: `http://127.0.0.1:${corePort}`,
        PHOENIX_CONTROL_API_PORT: String(api),
        PHOENIX_OBSERVER_PORT: String(obs),
        PHOENIX_DATA_DIR: dir,
        PHOENIX_OBSERVER_INTERVAL_SECONDS: '0.2',
        PHOENIX_CONTROL_INTERVAL_SECONDS: '0.2',
      },
      { healthUrl: `http://127.0.0.1:${api}/health` },
    );
    try {
      const file = path.join(dir, 'optimization_mode.yaml');
      expect(readControlFile(file)).toMatchObject({ mode: 'conservative', target_series: 20000 });
      full = 60000;
      await waitFor(() => fs.existsSync(file) && readControlFile(file).mode === 'aggressive', { timeoutMs: 10_000, what: 'aggressive' });
      const exp = parseExposition(await (await fetch(`http://127.0.0.1:${obs}/metrics`)).text(), { strict: true });
      expect(findSamples(exp, 'phoenix_observer_pipeline_series', { pipeline: 'full_fidelity' })[0].value).toBe(60000);
      expect(fs.existsSync(path.join(dir, 'control_history.sqlite'))).toBe(true);
    } finally {
      const code = await svc.stop();
      core.close();
      expect(code).toBe(0);
    }
    const lines = svc.output().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.msg === 'phoenix-control started')).toBe(true);
    expect(lines.some((l) => l.msg === 'transition' && l.to === 'aggressive')).toBe(true);
    expect(lines[lines.length - 1]).toMatchObject({ level: 'info', msg: 'stopped' });
  });

  it('an invalid environment exits 2 with a JSON error naming the key and the variable', async () => {
    const r = await runCommand(process.execPath, { args: [CONTROL_MAIN], env: { PHOENIX_DATA_DIR: tmpDir(), PHOENIX_TARGET_SERIES: '0', PHOENIX_BIND_ADDRESS: '0.0.0.0' } });
    expect(r.code).toBe(2);
    const rec = JSON.parse(r.stdout.split('\n')[0]) as { level: string; errors: string[] };
    expect(rec.level).toBe('error');
    expect(rec.errors).toEqual([
      'actuator.targetSeries (PHOENIX_TARGET_SERIES): must be >= 1 (got 0)',
      expect.stringMatching(/^api\.bindAddress \(PHOENIX_BIND_ADDRESS\): refusing to bind/),
    ]);
  });
});
