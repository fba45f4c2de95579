import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnService } from '@phoenix/testkit';
import { freePort } from '@phoenix/runtime';

const MAIN = path.resolve(__dirname, '..', 'dist', 'main.js');

describe('phoenix-api main (built dist/main.js, embedded PGlite)', () => {
  it('an invalid configuration exits 2 with the problem, naming the variable', () => {
    const r = spawnSync(process.execPath, [MAIN], { env: { ...process.env, PHOENIX_API_PORT: 'x', PHOENIX_AGENT_KEY: 'short' }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    const line = JSON.parse(r.stdout.trim().split('\n')[0]) as { msg: string; errors: string[]; service: string };
    expect(line).toMatchObject({ msg: 'invalid configuration', service: 'phoenix-api', errors: ['PHOENIX_API_PORT: must be an integer (got "x")'] });
  });

  it('starts on PHOENIX_API_PORT with PGlite in PHOENIX_DATA_DIR, answers /health, and stops cleanly on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-api-main-'));
    const port = await freePort();
    try {
      const svc = await spawnService(MAIN, { PHOENIX_API_PORT: String(port), PHOENIX_DATA_DIR: dir, PHOENIX_AGENT_KEY: 'main-test-enrollment-key' }, { healthUrl: `http://127.0.0.1:${port}/health`, timeoutMs: 60_000 });
      const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { database: { backend: string } };
      expect(health.database.backend).toBe('pglite');
      expect(fs.existsSync(path.join(dir, 'pglite'))).toBe(true);
      expect(await svc.stop()).toBe(0);
      expect(svc.output()).toContain('"msg":"phoenix-api started"');
      expect(svc.output()).toContain('"msg":"stopped"');
      expect(fs.existsSync(path.join(dir, 'pglite.lock'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
