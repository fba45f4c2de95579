/**
 * The lifecycle contract of the single-threaded core (the runtime's Lifecycle): start → stop,
 * start twice is one start, stop without start, stop twice is one stop, no start after stop, a
 * failed start releases what it had started; its timers run on the injected clock.
 */
import fs from 'node:fs';
import net from 'node:net';
import { ManualClock, silentLogger } from '@phoenix/runtime';
import { testConfig } from '../../test/startCore';
import type { CoreConfig } from '../config/coreConfig';
import { decodeJsonRequest } from '../otlp/decodeJsonRequest';
import { CoreService } from './coreService';

const T0 = Date.UTC(2026, 0, 1);
const dirs: string[] = [];

function newCore(overrides: (c: CoreConfig) => void = () => undefined, timers = false, clock = new ManualClock(T0)): CoreService {
  const { config, dataDir } = testConfig(overrides);
  dirs.push(dataDir);
  return new CoreService(config, { clock, log: silentLogger(), timers });
}

async function healthStatus(port: number): Promise<number | 'refused'> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`)).status;
  } catch {
    return 'refused';
  }
}

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('CoreService lifecycle', () => {
  test('start → stop: healthy while started, every listener closed after stop', async () => {
    const core = newCore();
    await core.start();
    const ports = core.boundPorts();
    expect(Object.values(ports).every((p) => p > 0)).toBe(true);
    expect(await healthStatus(ports.health)).toBe(200);
    await core.stop();
    expect(await healthStatus(ports.health)).toBe('refused');
    await expect(fetch(`http://127.0.0.1:${ports.fullFidelity}/metrics`)).rejects.toThrow('fetch failed');
  });

  test('start twice is one start; stop twice is one stop', async () => {
    const core = newCore();
    const first = core.start();
    expect(core.start()).toBe(first);
    await first;
    const ports = core.boundPorts();
    const stopping = core.stop();
    expect(core.stop()).toBe(stopping);
    await stopping;
    expect(core.boundPorts()).toEqual(ports);
  });

  test('stop without start resolves; start after stop rejects', async () => {
    const core = newCore();
    await core.stop();
    await expect(core.start()).rejects.toThrow('phoenix-core is stopped; it cannot be started again');
    const started = newCore();
    await started.start();
    await started.stop();
    await expect(started.start()).rejects.toThrow('phoenix-core is stopped; it cannot be started again');
  });

  test('a failed start (a port in use) rejects, and stop releases the listeners it had started', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const core = newCore((c) => {
        c.ports.otlpHttp = taken;
      });
      await expect(core.start()).rejects.toThrow(`listen EADDRINUSE: address already in use 127.0.0.1:${taken}`);
      const health = core.boundPorts().health;
      expect(health).toBeGreaterThan(0);
      await core.stop();
      expect(await healthStatus(health)).toBe('refused');
    } finally {
      blocker.close();
    }
  });

  test('the staleness sweep and the top-k ranking run on the injected clock, and stop with the core', async () => {
    const clock = new ManualClock(T0);
    const core = newCore(
      (c) => {
        c.store.stalenessMs = 30_000;
        c.sweepIntervalMs = 10_000;
        c.topk.rankIntervalMs = 20_000;
      },
      true,
      clock,
    );
    const ranked: number[] = [];
    const rank = core.core.rank.bind(core.core);
    core.core.rank = () => {
      ranked.push(clock.now() - T0);
      return rank();
    };
    await core.start();
    const gauge = { name: 'g', gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: `${T0}000000` }] } };
    core.store.ingest(decodeJsonRequest({ resourceMetrics: [{ resource: { attributes: [{ key: 'host.name', value: { stringValue: 'h' } }] }, scopeMetrics: [{ metrics: [gauge] }] }] }));
    expect(core.store.size).toBe(1);
    clock.advance(30_000);
    expect(core.store.size).toBe(1);
    clock.advance(10_000); // the sweep at 40 s finds the series 40 s old
    expect(core.store.size).toBe(0);
    expect(ranked).toEqual([20_000, 40_000]);
    await core.stop();
    expect(clock.pending()).toBe(0);
    clock.advance(60_000);
    expect(ranked).toEqual([20_000, 40_000]);
  });
});
