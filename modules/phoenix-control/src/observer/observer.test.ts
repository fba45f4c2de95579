import http from 'node:http';
import { findSamples, parseExposition, ManualClock, silentLogger, freePorts } from '@phoenix/runtime';
import { Registry } from 'prom-client';
import { validateControlStatus } from '@phoenix/contracts';
import { defaultObserverConfig, type ObserverConfig } from './config';
import { Observer } from './observer';

/** An observatory exposition as the core publishes it (contracts/metrics/observatory.md). */
function observatory(o: { full: number; points: number; generation?: number }): string {
  const full = o.full;
  return [
    '# HELP phoenix_pipeline_series Series the pipeline exposes',
    '# TYPE phoenix_pipeline_series gauge',
    `phoenix_pipeline_series{pipeline="full_fidelity"} ${full}`,
    `phoenix_pipeline_series{pipeline="optimized"} ${full * 0.55}`,
    `phoenix_pipeline_series{pipeline="experimental_topk"} ${60 * 22}`,
    `phoenix_pipeline_totals_preservation_ratio{pipeline="optimized"} 1`,
    `phoenix_pipeline_attribution_coverage_ratio{pipeline="experimental_topk"} 0.9`,
    `phoenix_pipeline_heavy_hitter_recall_ratio{pipeline="experimental_topk"} 1`,
    `phoenix_optimized_series_by_profile{profile="conservative"} ${full * 0.8}`,
    `phoenix_optimized_series_by_profile{profile="balanced"} ${full * 0.55}`,
    `phoenix_optimized_series_by_profile{profile="aggressive"} ${full * 0.35}`,
    'phoenix_topk_streams 60',
    'phoenix_active_pipeline_info{pipeline="full_fidelity"} 1',
    'phoenix_active_pipeline_info{pipeline="optimized"} 0',
    `phoenix_receiver_data_points_total{protocol="grpc",outcome="accepted"} ${o.points}`,
    `phoenix_receiver_data_points_total{protocol="http",outcome="accepted"} 0`,
    `phoenix_receiver_data_points_total{protocol="grpc",outcome="rejected"} 5`,
    `phoenix_control_generation ${o.generation ?? 3}`,
    'phoenix_control_mode_info{mode="conservative",profile="balanced"} 1',
    'phoenix_control_topk_k 20',
    'phoenix_control_target_series 20000',
    'process_cpu_seconds_total 1.5',
    '',
  ].join('\n');
}

interface FakeCore {
  url: string;
  state: { status: number; body: string; delayMs: number };
  close(): Promise<void>;
}

async function fakeServer(handler?: (req: http.IncomingMessage) => string): Promise<FakeCore> {
  const [port] = await freePorts(1);
  const state = { status: 200, body: observatory({ full: 15000, points: 0 }), delayMs: 0 };
  const server = http.createServer((req, res) => {
    setTimeout(() => {
      res.writeHead(state.status, { 'content-type': 'text/plain' });
      res.end(handler ? handler(req) : state.body);
    }, state.delayMs);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function observer(cfg: Partial<ObserverConfig>, clock = new ManualClock()): { obs: Observer; registry: Registry; clock: ManualClock } {
  const registry = new Registry();
  const obs = new Observer({ ...defaultObserverConfig, ...cfg }, clock, silentLogger(), registry);
  return { obs, registry, clock };
}

describe('parseExposition', () => {
  it('reads samples with labels, escapes, timestamps and special values; skips and counts bad lines', () => {
    const { samples, badLines } = parseExposition(
      ['# HELP x y', 'a 1', 'b{l="v\\"q",m="2"} +Inf 1700000000000', 'c{bad 3', 'd NaN', 'e notanumber', ''].join('\n'),
    );
    expect(samples).toEqual([
      { name: 'a', labels: {}, value: 1 },
      { name: 'b', labels: { l: 'v"q', m: '2' }, value: Infinity },
      { name: 'd', labels: {}, value: NaN },
    ]);
    expect(badLines).toBe(2);
  });
});

describe('Observer', () => {
  let core: FakeCore;
  beforeEach(async () => {
    core = await fakeServer();
  });
  afterEach(async () => {
    await core.close();
  });

  it('turns the observatory into KPIs (series, cost reduction, preservation, recall, ingest rate, control in force)', async () => {
    const { obs, clock } = observer({ coreUrl: core.url });
    expect(obs.current()).toBeUndefined();
    core.state.body = observatory({ full: 15000, points: 1000 });
    expect((await obs.scrapeOnce()).ok).toBe(true);
    clock.advance(10_000);
    core.state.body = observatory({ full: 15000, points: 6000 });
    await obs.scrapeOnce();
    const r = obs.current()!;
    expect(r.kpis).toMatchObject({
      source: 'core',
      series: { full_fidelity: 15000, optimized: 8250, experimental_topk: 1320 },
      totals_preservation: { optimized: 1 },
      attribution_coverage: { experimental_topk: 0.9 },
      heavy_hitter_recall: { experimental_topk: 1 },
      optimized_series_by_profile: { conservative: 12000, balanced: 8250, aggressive: 5250 },
      topk_streams: 60,
      active_pipeline: 'full_fidelity',
      active_series: 15000,
      ingest_points_per_second: 500,
      in_force: { generation: 3, mode: 'conservative', profile: 'balanced', k: 20, target_series: 20000 },
    });
    expect(r.kpis.cost_reduction!.optimized).toBeCloseTo(0.45);
    expect(r.kpis.cost_reduction!.full_fidelity).toBe(0);
    // The KPIs are the contract's ControlKpis.
    const status = validateControlStatus({
      mode: 'conservative', profile: 'balanced', k: 20, target_series: 20000, configured_target_series: 20000, source: 'actuator',
      generation: 1, reason: 'x', holding: false, pid: { p: 0, i: 0, d: 0, output: 0, integral: 0, margin: 0.05 },
      kpis: r.kpis, kpis_fresh: true, dwell_remaining_seconds: 0, transitions_total: 0, stability_score: 1,
    });
    expect(status).toMatchObject({ ok: true });
  });

  it('a failed scrape makes the KPIs absent (not silently old) and is counted by reason', async () => {
    const { obs, registry } = observer({ coreUrl: core.url });
    await obs.scrapeOnce();
    expect(obs.current()).toBeDefined();
    core.state.status = 500;
    expect(await obs.scrapeOnce()).toMatchObject({ ok: false, reason: 'http_status' });
    expect(obs.current()).toBeUndefined();
    core.state.status = 200;
    core.state.body = 'phoenix_store_series 3\n';
    expect(await obs.scrapeOnce()).toMatchObject({ ok: false, reason: 'missing_metrics' });
    const exp = parseExposition(await registry.metrics(), { strict: true });
    expect(findSamples(exp, 'phoenix_observer_pipeline_series')).toHaveLength(0);
    expect(findSamples(exp, 'phoenix_observer_scrape_up')[0].value).toBe(0);
    expect(findSamples(exp, 'phoenix_observer_kpis_stale')[0].value).toBe(1);
    expect(findSamples(exp, 'phoenix_observer_scrape_failures_total', { reason: 'http_status' })[0].value).toBe(1);
    expect(findSamples(exp, 'phoenix_observer_scrape_failures_total', { reason: 'missing_metrics' })[0].value).toBe(1);
    expect(findSamples(exp, 'phoenix_observer_scrapes_total', { result: 'success' })[0].value).toBe(1);
  });

  it('an unreachable core and a timeout are failures too', async () => {
    const [port] = await freePorts(1);
    const a = observer({ coreUrl: `http://127.0.0.1:${port}` });
    expect(await a.obs.scrapeOnce()).toMatchObject({ ok: false, reason: 'unreachable' });
    core.state.delayMs = 500;
    const b = observer({ coreUrl: core.url, timeoutSeconds: 0.1 });
    expect(await b.obs.scrapeOnce()).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('a reading older than staleAfterSeconds is absent', async () => {
    const { obs, clock, registry } = observer({ coreUrl: core.url, staleAfterSeconds: 30 });
    await obs.scrapeOnce();
    clock.advance(29_000);
    expect(obs.current()?.kpis.age_seconds).toBe(29);
    clock.advance(2_000);
    expect(obs.current()).toBeUndefined();
    const exp = parseExposition(await registry.metrics(), { strict: true });
    expect(findSamples(exp, 'phoenix_observer_pipeline_series')).toHaveLength(0);
    expect(findSamples(exp, 'phoenix_observer_kpi_age_seconds')[0].value).toBe(31);
  });

  it('serves its KPIs on /metrics and /health over HTTP', async () => {
    const [port] = await freePorts(1);
    const { obs } = observer({ coreUrl: core.url, port }, new ManualClock(Date.now()));
    await obs.start(); // bound, and the first scrape done
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const exp = parseExposition(text, { strict: true });
      expect(findSamples(exp, 'phoenix_observer_pipeline_series', { pipeline: 'full_fidelity' })[0].value).toBe(15000);
      expect(findSamples(exp, 'phoenix_observer_optimized_series_by_profile', { profile: 'aggressive' })[0].value).toBe(5250);
      expect(findSamples(exp, 'phoenix_observer_scrape_up')[0].value).toBe(1);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', kpis_fresh: true });
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
    } finally {
      await obs.stop();
    }
  });

  it('lifecycle: start binds and scrapes, the next scrape is due after the interval; stop closes the port and ends the scrapes; start after stop rejects', async () => {
    const [port] = await freePorts(1);
    let scrapes = 0;
    const counting = await fakeServer(() => {
      scrapes += 1;
      return observatory({ full: 15000, points: 0 });
    });
    const { obs, clock } = observer({ coreUrl: counting.url, port, intervalSeconds: 15 }, new ManualClock(Date.now()));
    try {
      const first = obs.start();
      expect(obs.start()).toBe(first);
      await first;
      expect(scrapes).toBe(1);
      expect(clock.pending()).toBe(1); // the next scrape
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      await Promise.all([obs.stop(), obs.stop()]);
      expect(clock.pending()).toBe(0);
      await clock.advanceAsync(60_000);
      expect(scrapes).toBe(1);
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
      await expect(obs.start()).rejects.toThrow('observer is stopped; it cannot be started again');
      const never = observer({ coreUrl: counting.url, port }).obs;
      await never.stop(); // without start: nothing to release, nothing scraped
      expect([never.port, scrapes]).toEqual([undefined, 1]);
    } finally {
      await counting.close();
    }
  });

  it('can read the same metrics from the Prometheus HTTP API', async () => {
    let query = '';
    const prom = await fakeServer((req) => {
      query = new URL(req.url!, 'http://x').searchParams.get('query') ?? '';
      const v = (metric: Record<string, string>, value: number): unknown => ({ metric, value: [1700000000, String(value)] });
      return JSON.stringify({
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            v({ __name__: 'phoenix_pipeline_series', pipeline: 'full_fidelity', job: 'core' }, 30000),
            v({ __name__: 'phoenix_pipeline_series', pipeline: 'optimized', job: 'core' }, 12000),
            v({ __name__: 'phoenix_topk_streams', job: 'core' }, 100),
          ],
        },
      });
    });
    try {
      const { obs } = observer({ prometheusUrl: prom.url, prometheusSelector: 'job="core"' });
      expect((await obs.scrapeOnce()).ok).toBe(true);
      expect(obs.current()!.kpis).toMatchObject({ source: 'prometheus', series: { full_fidelity: 30000, optimized: 12000 }, topk_streams: 100 });
      expect(query).toMatch(/^\{__name__=~"phoenix_pipeline_series\|.*", job="core"\}$/);
    } finally {
      await prom.close();
    }
  });
});
