import { systemClock, silentLogger, type Clock } from '@phoenix/runtime';
import { defaultCoreConfig, type CoreConfig } from '../src/config/coreConfig';
import { CoreService } from '../src/service/coreService';
import { ShardedCoreService } from '../src/service/shardedCoreService';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

type Endpoint = 'fullFidelity' | 'active' | 'observatory' | 'health' | 'otlpHttp' | 'optimized' | 'experimentalTopk';

/** A config on kernel-chosen free ports (port 0), with an isolated data dir. */
export function testConfig(overrides: (c: CoreConfig) => void = () => undefined): { config: CoreConfig; dataDir: string } {
  const config = defaultCoreConfig();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-core-test-'));
  config.dataDir = dataDir;
  config.controlFile = path.join(dataDir, 'optimization_mode.yaml');
  for (const k of Object.keys(config.ports) as Array<keyof CoreConfig['ports']>) config.ports[k] = 0;
  overrides(config);
  return { config, dataDir };
}

function urls(ports: Record<string, number>): (which: Endpoint) => string {
  return (which) => {
    const port = ports[which];
    if (which === 'otlpHttp') return `http://127.0.0.1:${port}/v1/metrics`;
    if (which === 'health') return `http://127.0.0.1:${port}/health`;
    return `http://127.0.0.1:${port}/metrics`;
  };
}

/** Starts an in-process core on kernel-chosen free ports (port 0), with an isolated data dir. */
export async function startCore(
  overrides: (c: CoreConfig) => void = () => undefined,
  opts: { clock?: Clock; timers?: boolean } = {},
): Promise<{ core: CoreService; url: (which: Endpoint) => string; dataDir: string }> {
  const { config, dataDir } = testConfig(overrides);
  const core = new CoreService(config, { clock: opts.clock ?? systemClock, log: silentLogger(), timers: opts.timers ?? false });
  await core.start();
  return { core, url: urls(core.boundPorts()), dataDir };
}

/** Starts a sharded core (worker threads from the build in dist/) on free ports, with an isolated data dir. */
export async function startShardedCore(
  shards: number,
  overrides: (c: CoreConfig) => void = () => undefined,
): Promise<{ core: ShardedCoreService; url: (which: Endpoint) => string; dataDir: string }> {
  const { config, dataDir } = testConfig((c) => {
    c.shards = shards;
    overrides(c);
  });
  const core = new ShardedCoreService(config, { log: silentLogger(), timers: false });
  await core.start();
  return { core, url: urls(core.boundPorts()), dataDir };
}

export async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`scrape ${url}: HTTP ${res.status}`);
  return res.text();
}
