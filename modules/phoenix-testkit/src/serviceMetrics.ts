import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MetricsCatalogName } from '@phoenix/contracts';
import { metricsCatalogProblems } from './metricsCatalogCheck';
import { spawnService } from './spawnService';

/**
 * Starts a built service (`main`, its dist/main.js) with `env` in a temp data dir, waits for `healthUrl`, then
 * checks each of its /metrics endpoints against its catalog: the problems by catalog (empty when exact).
 */
export async function serviceMetricsProblems(
  main: string,
  env: Record<string, string>,
  healthUrl: string,
  endpoints: Array<{ catalog: MetricsCatalogName; url: string }>,
): Promise<Record<string, string[]>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-metrics-'));
  const svc = await spawnService(main, { PHOENIX_DATA_DIR: dir, PHOENIX_LOG_LEVEL: 'warn', PHOENIX_BIND_ADDRESS: '127.0.0.1', ...env }, { healthUrl, timeoutMs: 60_000 });
  try {
    const out: Record<string, string[]> = {};
    for (const e of endpoints) out[e.catalog] = await metricsCatalogProblems(e.catalog, await (await fetch(e.url)).text());
    return out;
  } finally {
    await svc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
