/**
 * The sharded core (PHOENIX_CORE_SHARDS > 1, worker threads) against the single-threaded core on
 * the same input over real HTTP: every endpoint's output and every KPI must be identical, each
 * family must appear once in a merged scrape, a malformed request spanning shards must leave
 * nothing behind, and a dead shard must turn requests into retryable 503s.
 */
import fs from 'node:fs';
import { encodeExportRequest, decodeStatus } from '@phoenix/testkit';
import { parseExposition } from '@phoenix/runtime';
import { stringify } from 'yaml';
import { shardOfHost } from '../src/shard/shardOfHost';
import type { CoreService } from '../src/service/coreService';
import type { ShardedCoreService } from '../src/service/shardedCoreService';
import { scrape, startCore, startShardedCore } from './startCore';
import { Workload } from './workload';

const SHARDS = 3;
const PROTOBUF = { 'Content-Type': 'application/x-protobuf' };

async function post(url: string, body: Uint8Array | string, json = false): Promise<Response> {
  return fetch(url, { method: 'POST', headers: json ? { 'Content-Type': 'application/json' } : PROTOBUF, body });
}

/** Sample lines sorted, and the HELP/TYPE lines as a set: the content of an exposition regardless of family order. */
function content(text: string): { samples: string[]; headers: string[] } {
  const lines = text.split('\n').filter((l) => l !== '');
  return { samples: lines.filter((l) => !l.startsWith('#')).sort(), headers: lines.filter((l) => l.startsWith('#')).sort() };
}

/** Asserts every family is declared once and each sample sits under its own family's header. */
function expectFamiliesContiguous(text: string): void {
  const declared = new Set<string>();
  let current = '';
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = /^# TYPE (\S+) /.exec(line);
    if (m) {
      expect(declared.has(m[1])).toBe(false);
      declared.add(m[1]);
      current = m[1];
    } else if (!line.startsWith('#')) {
      const name = /^[^{ ]+/.exec(line)?.[0] ?? '';
      expect(name === current || name.startsWith(`${current}_`)).toBe(true);
    }
  }
}

const KPI_NAMES = [
  'phoenix_store_series',
  'phoenix_store_families',
  'phoenix_pipeline_series',
  'phoenix_pipeline_cost_reduction_ratio',
  'phoenix_pipeline_totals_preservation_ratio',
  'phoenix_pipeline_attribution_coverage_ratio',
  'phoenix_pipeline_heavy_hitter_recall_ratio',
  'phoenix_optimized_series_by_profile',
  'phoenix_topk_streams',
  'phoenix_active_pipeline_info',
];

async function kpis(url: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of parseExposition(await scrape(url), { strict: true }).samples) {
    if (KPI_NAMES.includes(s.name)) out[`${s.name}${JSON.stringify(s.labels)}`] = s.value;
  }
  return out;
}

/** One request holding the resource metrics of several hosts (so it spans shards). */
function merged(requests: unknown[]): { resourceMetrics: unknown[] } {
  return { resourceMetrics: requests.flatMap((r) => (r as { resourceMetrics: unknown[] }).resourceMetrics) };
}

describe('sharded core (worker threads) against the single-threaded core', () => {
  let single: { core: CoreService; url: (w: 'fullFidelity' | 'optimized' | 'experimentalTopk' | 'active' | 'observatory' | 'otlpHttp' | 'health') => string; dataDir: string };
  let sharded: { core: ShardedCoreService; url: typeof single.url; dataDir: string };
  const workload = new Workload({ hosts: 7, processes: 30, seed: 7, exitRate: 0.05, restartRate: 0.05, resetRate: 0.02 });

  beforeAll(async () => {
    single = await startCore();
    sharded = await startShardedCore(SHARDS);
  });
  afterAll(async () => {
    await Promise.all([single?.core.stop(), sharded?.core.stop()]);
    for (const d of [single?.dataDir, sharded?.dataDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  /** Sends one round to both cores: protobuf requests mixing hosts, or JSON per host. */
  async function round(timeMs: number, form: 'protobuf-mixed' | 'protobuf' | 'json'): Promise<void> {
    workload.step();
    const reqs = workload.requests(timeMs);
    const bodies: Array<Uint8Array | string> =
      form === 'json' ? reqs.map((r) => JSON.stringify(r)) : form === 'protobuf' ? reqs.map((r) => encodeExportRequest(r as object)) : [encodeExportRequest(merged(reqs))];
    for (const target of [single, sharded]) {
      for (const body of bodies) {
        const res = await post(target.url('otlpHttp'), body, form === 'json');
        expect(res.status).toBe(200);
      }
    }
  }

  test('the hosts of the workload spread over every shard', () => {
    const used = new Set(Array.from({ length: 7 }, (_, h) => shardOfHost(`host-${h}`, SHARDS)));
    expect(used.size).toBe(SHARDS);
  });

  test('every pipeline endpoint and every KPI equal the single-threaded core’s, and families stay contiguous', async () => {
    const t0 = Date.now();
    await round(t0, 'protobuf-mixed');
    await round(t0 + 10_000, 'protobuf');
    await round(t0 + 20_000, 'json');
    await round(t0 + 30_000, 'protobuf-mixed');
    single.core.rank();
    await sharded.core.rank();
    for (const which of ['fullFidelity', 'optimized', 'experimentalTopk', 'active'] as const) {
      const [a, b] = await Promise.all([scrape(single.url(which)), scrape(sharded.url(which))]);
      expect(content(b)).toEqual(content(a));
      expectFamiliesContiguous(b);
    }
    const ffSeries = parseExposition(await scrape(sharded.url('fullFidelity')), { strict: true }).samples.length;
    expect(ffSeries).toBeGreaterThan(7 * 30 * 6 - 1);
    const [ka, kb] = await Promise.all([kpis(single.url('observatory')), kpis(sharded.url('observatory'))]);
    expect(Object.keys(ka).length).toBeGreaterThan(20);
    expect(kb).toEqual(ka);
    // each shard holds a part of the series, and together exactly all of them
    const stats = await sharded.core.pool.stats();
    expect(stats.map((s) => s.store.series).every((n) => n > 0)).toBe(true);
    expect(stats.reduce((n, s) => n + s.store.series, 0)).toBe(single.core.store.stats.series);
    expect(stats.reduce((n, s) => n + s.misrouted, 0)).toBe(0);
  });

  test('a control file switches the active output and the pipelines of every shard alike', async () => {
    const doc = {
      version: 1,
      generation: 5,
      mode: 'aggressive',
      profile: 'aggressive',
      topk: { k: 2 },
      target_series: 100,
      updated_at: new Date().toISOString(),
      source: 'actuator',
      reason: 'test',
      override: { expires_at: null },
    };
    for (const t of [single, sharded]) fs.writeFileSync(t.core.config.controlFile, stringify(doc));
    const deadline = Date.now() + 10_000;
    while ((single.core.active !== 'experimental_topk' || sharded.core.active !== 'experimental_topk') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(sharded.core.active).toBe('experimental_topk');
    // the shards applied k and the profile before answering (the control message precedes the scrape)
    single.core.rank();
    await sharded.core.rank();
    for (const which of ['optimized', 'experimentalTopk', 'active'] as const) {
      const [a, b] = await Promise.all([scrape(single.url(which)), scrape(sharded.url(which))]);
      expect(content(b)).toEqual(content(a));
    }
    const topk = parseExposition(await scrape(sharded.url('active')), { strict: true });
    // k = 2 per host and stream: at most 2 individual processes per host in process_threads
    const perHost = new Map<string, Set<string>>();
    for (const s of topk.samples) {
      if (s.name !== 'process_threads' || s.labels.process_pid === undefined) continue;
      const set = perHost.get(s.labels.host_name) ?? perHost.set(s.labels.host_name, new Set()).get(s.labels.host_name);
      set?.add(s.labels.process_pid);
    }
    expect(perHost.size).toBe(7);
    for (const pids of perHost.values()) expect(pids.size).toBe(2);
  });

  test('a malformed request spanning shards is rejected whole (400, INVALID_ARGUMENT) and nothing of it is ingested', async () => {
    const hosts = ['bad-a', 'bad-b', 'bad-c', 'bad-d', 'bad-e'];
    const [hostA, hostB] = [hosts[0], hosts.find((h) => shardOfHost(h, SHARDS) !== shardOfHost(hosts[0], SHARDS)) as string];
    const good = encodeExportRequest({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'host.name', value: { stringValue: hostA } }] },
          scopeMetrics: [{ metrics: [{ name: 'good.gauge', gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: '1700000000000000000' }] } }] }],
        },
      ],
    });
    // a second ResourceMetrics for another shard: a valid resource, then a scope_metrics field (2)
    // whose scope (field 1) has the wrong wire type
    const resource = encodeExportRequest({ resourceMetrics: [{ resource: { attributes: [{ key: 'host.name', value: { stringValue: hostB } }] } }] });
    const rmB = Buffer.concat([resource.subarray(2), Buffer.from([0x12, 0x02, 0x08, 0xff])]);
    const body = Buffer.concat([good, Buffer.from([0x0a, rmB.length]), rmB]);
    const res = await post(sharded.url('otlpHttp'), body);
    expect(res.status).toBe(400);
    const status = decodeStatus(new Uint8Array(await res.arrayBuffer()));
    expect(status.code).toBe(3);
    // the shard decoding the scope found it (the splitter reads resources only)
    expect(String(status.message)).toMatch(/wire type 0, expected 2/);
    const ff = await scrape(sharded.url('fullFidelity'));
    expect(ff).not.toContain('good_gauge');
    // the good part alone is taken (so the shard was able to)
    expect((await post(sharded.url('otlpHttp'), good)).status).toBe(200);
    expect(await scrape(sharded.url('fullFidelity'))).toContain(`good_gauge{host_name="${hostA}"} 1`);
    const obs = parseExposition(await scrape(sharded.url('observatory')), { strict: true });
    const rejected = obs.samples.find((s) => s.name === 'phoenix_receiver_rejections_total' && s.labels.reason === 'invalid_protobuf' && s.labels.protocol === 'http');
    expect(rejected?.value).toBe(1);
  });
});

describe('a sharded core whose shard dies', () => {
  test('answers 503 (UNAVAILABLE) to OTLP requests and reports not ready', async () => {
    const { core, url, dataDir } = await startShardedCore(2);
    try {
      const req = encodeExportRequest({
        resourceMetrics: [
          {
            resource: { attributes: [{ key: 'host.name', value: { stringValue: 'h' } }] },
            scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: '1700000000000000000' }] } }] }],
          },
        ],
      });
      expect((await post(url('otlpHttp'), req)).status).toBe(200);
      expect((await fetch(url('health'))).status).toBe(200);
      await core.pool.workerThreads[shardOfHost('h', 2)].terminate();
      const res = await post(url('otlpHttp'), req);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(decodeStatus(new Uint8Array(await res.arrayBuffer())).code).toBe(14);
      expect((await fetch(url('health'))).status).toBe(503);
      const obs = parseExposition(await scrape(url('observatory')), { strict: true });
      expect(obs.samples.find((s) => s.name === 'phoenix_receiver_rejections_total' && s.labels.reason === 'unavailable')?.value).toBe(1);
    } finally {
      await core.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
