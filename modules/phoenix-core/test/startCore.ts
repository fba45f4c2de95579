import { FakeClock, systemClock, type Clock } from '../src/clock';
import { defaultCoreConfig, type CoreConfig } from '../src/config/coreConfig';
import { silentLogger } from '../src/log';
import { CoreService } from '../src/service/coreService';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

/** Starts an in-process core on kernel-chosen free ports (port 0), with an isolated data dir. */
export async function startCore(
  overrides: (c: CoreConfig) => void = () => undefined,
  opts: { clock?: Clock; timers?: boolean } = {},
): Promise<{ core: CoreService; url: (which: 'fullFidelity' | 'active' | 'observatory' | 'health' | 'otlpHttp' | 'optimized' | 'experimentalTopk') => string; dataDir: string }> {
  const config = defaultCoreConfig();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-core-test-'));
  config.dataDir = dataDir;
  config.controlFile = path.join(dataDir, 'optimization_mode.yaml');
  for (const k of Object.keys(config.ports) as Array<keyof CoreConfig['ports']>) config.ports[k] = 0;
  overrides(config);
  const core = new CoreService(config, { clock: opts.clock ?? systemClock, log: silentLogger, timers: opts.timers ?? false });
  await core.start();
  const ports = core.boundPorts();
  const url = (which: string): string => {
    const port = ports[which];
    if (which === 'otlpHttp') return `http://127.0.0.1:${port}/v1/metrics`;
    if (which === 'health') return `http://127.0.0.1:${port}/health`;
    return `http://127.0.0.1:${port}/metrics`;
  };
  return { core, url, dataDir };
}

export { FakeClock };

export async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`scrape ${url}: HTTP ${res.status}`);
  return res.text();
}
