import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChildSupervisor, freePort } from '@phoenix/runtime';
import { prometheusQueries, type PrometheusQueries } from './api';
import { requirePrometheusBinary } from './binaries';
import { buildPrometheusConfig, type PrometheusConfigOptions } from './config';

export interface StartPrometheusOptions extends PrometheusConfigOptions {
  /**
   * A complete prometheus.yml, used verbatim instead of the generated one (`scrapeConfigs`, `ruleFiles` and
   * `scrapeIntervalSeconds` are then ignored). Relative paths in it resolve against the temp directory, so use absolute ones.
   */
  configYaml?: string;
  /** How long to wait for `/-/ready` (default 30 s). */
  readyTimeoutMs?: number;
  /** Extra command-line flags for the prometheus binary. */
  extraArgs?: string[];
}

export interface PrometheusHandle extends PrometheusQueries {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** The temp directory holding prometheus.yml and the TSDB (removed by stop()). */
  dir: string;
  /** The configuration Prometheus was started with. */
  configYaml: string;
  /** Prometheus' own log so far (for failure messages). */
  output(): string;
  /** Stops Prometheus (SIGTERM, then SIGKILL) and removes the temp directory. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a real Prometheus on a free 127.0.0.1 port with its own temp directory (config + TSDB), and waits
 * until `/-/ready`. Always `stop()` it (e.g. in afterAll); if a test forgets, it is killed when the process exits.
 *
 * Ready is not scraped: Prometheus (2.x) hands targets to the scrape manager about 5 s after start, whatever
 * the scrape interval, so wait for data with `waitForValue` rather than a fixed sleep.
 */
export async function startPrometheus(opts: StartPrometheusOptions): Promise<PrometheusHandle> {
  const bin = requirePrometheusBinary('prometheus');
  const configYaml = opts.configYaml ?? buildPrometheusConfig(opts);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-prometheus-'));
  const configFile = path.join(dir, 'prometheus.yml');
  const dataDir = path.join(dir, 'data');
  fs.writeFileSync(configFile, configYaml);
  fs.mkdirSync(dataDir);
  const removeDir = (): void => fs.rmSync(dir, { recursive: true, force: true });
  process.on('exit', removeDir);

  // The port is free when freePort() returns but could be taken before Prometheus binds it: retry a few times.
  let started: { prom: ChildSupervisor; port: number } | undefined;
  let lastFailure = '';
  for (let attempt = 0; attempt < 3 && !started; attempt++) {
    const port = await freePort();
    const args = [`--config.file=${configFile}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-lifecycle', ...(opts.extraArgs ?? [])];
    const prom = new ChildSupervisor({
      name: 'prometheus',
      command: bin,
      args,
      ready: { url: `http://127.0.0.1:${port}/-/ready`, timeoutMs: opts.readyTimeoutMs ?? 30_000, intervalMs: 100 },
      tailLines: 2000,
    });
    try {
      await prom.start();
      started = { prom, port };
    } catch (err) {
      lastFailure = `${(err as Error).message}\n--- prometheus ${args.join(' ')} ---`;
      prom.kill();
      await prom.stop();
      if (!/address already in use/i.test(prom.output())) break;
    }
  }
  const cleanup = async (): Promise<void> => {
    await started?.prom.stop();
    process.removeListener('exit', removeDir);
    await fs.promises.rm(dir, { recursive: true, force: true });
  };
  if (!started) {
    await cleanup();
    throw new Error(`could not start Prometheus: ${lastFailure}\n--- config ---\n${configYaml}`);
  }
  const { prom, port } = started;
  const url = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    dir,
    configYaml,
    ...prometheusQueries(url, () => prom.output()),
    output: () => prom.output(),
    stop: () => (stopping ??= cleanup()),
  };
}
