import { silentLogger, freePorts } from '@phoenix/runtime';
import { FakeKpis, testConfig, tmpDir } from '../test/helpers';
import type { NewHistoryEntry } from './history/store';
import { ControlService } from './service';

const ENTRY: NewHistoryEntry = {
  at: '2026-01-01T00:00:00.000Z',
  kind: 'transition',
  generation: 1,
  from_mode: 'conservative',
  from_profile: 'balanced',
  from_k: 20,
  to_mode: 'balanced',
  to_profile: 'balanced',
  to_k: 20,
  target_series: 20000,
  source: 'actuator',
  reason: 'lifecycle test',
};

/** false once the history database is closed: a write fails (and is counted) instead of being stored */
const historyOpen = (s: ControlService): boolean => s.history.record(ENTRY) !== undefined;

/** true when something answers HTTP on 127.0.0.1:port */
const answers = (port: number, path = '/health'): Promise<boolean> =>
  fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );

/** A service with its real observer, pointed at a core that is not there (a failed scrape never fails the start). */
async function service(): Promise<ControlService> {
  const [deadCore] = await freePorts(1);
  const config = await testConfig(tmpDir(), { PHOENIX_CORE_URL: `http://127.0.0.1:${deadCore}`, PHOENIX_LOG_LEVEL: 'error' });
  return new ControlService(config, { log: silentLogger(), processMetrics: false });
}

describe('ControlService lifecycle', () => {
  it('start → stop: the API and the observer listen while started; after stop their ports are closed and the history is closed', async () => {
    const s = await service();
    await s.start();
    const ports = [s.apiPort, s.observerPort!];
    expect(await Promise.all(ports.map((p) => answers(p)))).toEqual([true, true]);
    expect(historyOpen(s)).toBe(true);
    await s.stop();
    expect(await Promise.all(ports.map((p) => answers(p)))).toEqual([false, false]);
    expect(historyOpen(s)).toBe(false);
  });

  it('stop without start releases what the constructor holds (the history database) and binds nothing', async () => {
    const s = await service();
    expect(historyOpen(s)).toBe(true);
    await s.stop();
    expect(historyOpen(s)).toBe(false);
    expect([s.apiPort, s.observerPort]).toEqual([0, undefined]);
  });

  it('start twice is one start, stop twice one stop; start after stop rejects', async () => {
    const s = new ControlService(await testConfig(tmpDir()), { kpis: new FakeKpis(), log: silentLogger(), processMetrics: false });
    const first = s.start();
    expect(s.start()).toBe(first);
    await first;
    const port = s.apiPort;
    const stopping = s.stop();
    expect(s.stop()).toBe(stopping);
    await stopping;
    expect(await answers(port)).toBe(false);
    await expect(s.start()).rejects.toThrow('phoenix-control is stopped; it cannot be started again');
  });
});
