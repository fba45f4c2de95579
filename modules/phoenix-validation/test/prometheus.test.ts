/**
 * Data sources: the direct scrape of the core's observatory and the Prometheus HTTP API (a real Prometheus from
 * Debian's `prometheus` package, started by @phoenix/testkit) give the same KPI readings.
 *
 * 1. A fixed exposition (an observatory and an observer that never change): every field, exactly.
 * 2. The real core, control and generators (npx tsc -b first) under a steady load: every field, exactly, except
 *    the ratios the core recomputes from sliding CPU-rate windows at each scrape (attribution coverage moves a
 *    little between two scrapes) and its own process metrics.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPrometheus, waitFor, type PrometheusHandle } from '@phoenix/testkit';
import { GeneratorsClient } from '../src/clients/generators';
import { DirectSource } from '../src/sources/direct';
import type { KpiReading } from '../src/sources/kpis';
import { PrometheusSource } from '../src/sources/prometheus';
import { startLocalStack, type LocalStack } from '../src/stack/localStack';

jest.setTimeout(90_000);

/** Keys sorted at every level, so two readings compare whatever order their fields arrived in. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
}

const OBSERVATORY = `# TYPE phoenix_pipeline_series gauge
phoenix_pipeline_series{pipeline="full_fidelity"} 8400
phoenix_pipeline_series{pipeline="optimized"} 3276
phoenix_pipeline_series{pipeline="experimental_topk"} 2268
phoenix_pipeline_totals_preservation_ratio{pipeline="full_fidelity"} 1
phoenix_pipeline_totals_preservation_ratio{pipeline="optimized"} 1
phoenix_pipeline_totals_preservation_ratio{pipeline="experimental_topk"} 0.999999
phoenix_pipeline_attribution_coverage_ratio{pipeline="full_fidelity"} 1
phoenix_pipeline_attribution_coverage_ratio{pipeline="optimized"} 0.93
phoenix_pipeline_attribution_coverage_ratio{pipeline="experimental_topk"} 0.631119581
phoenix_active_pipeline_info{pipeline="full_fidelity"} 0
phoenix_active_pipeline_info{pipeline="optimized"} 0
phoenix_active_pipeline_info{pipeline="experimental_topk"} 1
phoenix_control_mode_info{mode="aggressive",profile="conservative"} 1
phoenix_control_topk_k 106
phoenix_control_target_series 2400
phoenix_control_generation 3
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 12.34
process_resident_memory_bytes 185000000
`;
const OBSERVER = `phoenix_observer_ingest_data_points_per_second 16800
process_cpu_seconds_total 99
`;

function staticServer(text: string): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(text);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

const portOf = (s: http.Server): number => (s.address() as AddressInfo).port;

describe('KPI data sources: direct scrape and Prometheus give the same numbers', () => {
  it('on a fixed exposition: every field identical', async () => {
    const core = await staticServer(OBSERVATORY);
    const observer = await staticServer(OBSERVER);
    const prom = await startPrometheus({
      scrapeIntervalSeconds: 1,
      scrapeConfigs: [
        { job: 'phoenix-core', targets: [`127.0.0.1:${portOf(core)}`] },
        { job: 'phoenix-observer', targets: [`127.0.0.1:${portOf(observer)}`] },
      ],
    });
    try {
      const direct = await new DirectSource({ coreUrl: `http://127.0.0.1:${portOf(core)}`, observerUrl: `http://127.0.0.1:${portOf(observer)}`, timeoutMs: 5000 }).read();
      const viaProm = new PrometheusSource({ url: prom.url, selector: '', timeoutMs: 5000 });
      const p = await waitFor(
        async () => {
          const r = await viaProm.read();
          return r.ingest_points_per_second !== undefined && r.core_cpu_seconds !== undefined ? r : undefined;
        },
        { timeoutMs: 30_000, what: 'Prometheus to scrape both targets' },
      );
      expect(canonical(p)).toEqual(canonical(direct));
      expect(direct).toMatchObject({ active_series: 2268, mode: 'aggressive', profile: 'conservative', k: 106, core_cpu_seconds: 12.34, ingest_points_per_second: 16800 });
      // A selector narrows the query (and a wrong one finds nothing).
      expect(canonical(await new PrometheusSource({ url: prom.url, selector: 'job=~"phoenix-core|phoenix-observer"', timeoutMs: 5000 }).read())).toEqual(canonical(direct));
      await expect(new PrometheusSource({ url: prom.url, selector: 'job="nope"', timeoutMs: 5000 }).read()).rejects.toThrow(/no phoenix_pipeline_series/);
    } finally {
      await prom.stop();
      core.close();
      observer.close();
    }
  });

  describe('on the real stack', () => {
    let stack: LocalStack | undefined;
    let prom: PrometheusHandle | undefined;

    beforeAll(async () => {
      // Time scale 1: the core ranks top-k every 10 s and control acts every 5 s, so its state holds still between.
      stack = await startLocalStack({ timeScale: 1, budget: 4000 });
      prom = await startPrometheus({
        scrapeIntervalSeconds: 1,
        scrapeConfigs: [
          { job: 'phoenix-core', targets: [`127.0.0.1:${stack.ports.observatory}`] },
          { job: 'phoenix-observer', targets: [`127.0.0.1:${stack.ports.observer}`] },
          { job: 'phoenix-control', targets: [`127.0.0.1:${stack.ports.controlApi}`] },
        ],
      });
    });

    afterAll(async () => {
      await prom?.stop();
      await stack?.stop();
    });

    /** What does not move between two scrapes of a steady state. */
    const steady = (r: KpiReading): unknown => {
      const { core_cpu_seconds: _c, core_resident_bytes: _m, ingest_points_per_second: _i, attribution_coverage: _a, ...rest } = r;
      return canonical(rest);
    };

    it('same series per pipeline, totals preservation, active pipeline, mode, profile, k, target and generation', async () => {
      const g = new GeneratorsClient(stack!.env.PHOENIX_GENERATORS_URL, undefined);
      await g.stop();
      // 2 hosts x 200 processes = 2,800 series, under the 4,000 budget (nothing to decide), no churn.
      await g.setLoad({ hosts: 2, processes_per_host: 200, churn_rate: 0, export_interval_seconds: 1, seed: 7 });
      const direct = new DirectSource({ coreUrl: stack!.env.PHOENIX_CORE_URL, observerUrl: stack!.env.PHOENIX_OBSERVER_URL, timeoutMs: 5000 });
      const viaProm = new PrometheusSource({ url: prom!.url, selector: '', timeoutMs: 5000 });
      let lastPair = '';
      const [p, d] = await waitFor(
        async () => {
          const pair = await Promise.all([viaProm.read(), direct.read()]);
          lastPair = `prometheus: ${JSON.stringify(steady(pair[0]))}\ndirect:     ${JSON.stringify(steady(pair[1]))}`;
          const ready = pair[1].series.full_fidelity === 2800 && pair[1].series.experimental_topk !== undefined && pair[0].ingest_points_per_second !== undefined;
          return ready && JSON.stringify(steady(pair[0])) === JSON.stringify(steady(pair[1])) ? pair : undefined;
        },
        { timeoutMs: 40_000, intervalMs: 300, what: 'Prometheus and the core to show the same state' },
      ).catch((e: Error) => {
        throw new Error(`${e.message}\n${lastPair}`);
      });
      expect(steady(p)).toEqual(steady(d));
      expect(p).toMatchObject({
        series: { full_fidelity: 2800, optimized: expect.any(Number), experimental_topk: expect.any(Number) },
        totals_preservation: { full_fidelity: 1, optimized: 1, experimental_topk: 1 },
        active_pipeline: 'full_fidelity',
        active_series: 2800,
        mode: 'conservative',
        k: 20,
        target_series: 4000,
      });
      // The ratios recomputed at each scrape are close; the process metrics are the core's (not control's).
      for (const pipe of ['full_fidelity', 'optimized', 'experimental_topk'] as const) {
        expect(Math.abs((p.attribution_coverage?.[pipe] ?? -1) - (d.attribution_coverage?.[pipe] ?? 1))).toBeLessThan(0.05);
      }
      expect(Math.abs((p.core_resident_bytes ?? 0) - (d.core_resident_bytes ?? 0)) / (d.core_resident_bytes ?? 1)).toBeLessThan(0.5);
      expect(p.ingest_points_per_second).toBeGreaterThan(0);
      await g.stop();
    });
  });
});
