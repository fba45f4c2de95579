import path from 'node:path';
import type { GeneratorsLoadSettings, GeneratorsLoadStatus } from '@phoenix/contracts';
import type { GeneratorsClient } from '../clients/generators';
import { loadProfile } from '../catalog/catalog';
import { LoadDriver } from './loadDriver';

const PROFILES = path.resolve(__dirname, '../../../phoenix-generators/profiles');

function fakeGenerators(): { client: GeneratorsClient; calls: (GeneratorsLoadSettings | 'stop')[] } {
  const calls: (GeneratorsLoadSettings | 'stop')[] = [];
  const client = {
    setLoad: async (s: GeneratorsLoadSettings) => {
      calls.push(s);
      return {} as GeneratorsLoadStatus;
    },
    stop: async () => {
      calls.push('stop');
      return {} as GeneratorsLoadStatus;
    },
  } as unknown as GeneratorsClient;
  return { client, calls };
}

describe('load driver', () => {
  it('starts a fresh fleet (stop, then every setting) with the interval scaled and the hosts scaled', async () => {
    const g = fakeGenerators();
    const d = new LoadDriver({ profile: loadProfile(PROFILES, 'spike'), timeScale: 0.1, hostScale: 0.3, seed: 7, minUpdateSeconds: 1 }, g.client);
    expect(d.exportIntervalSeconds).toBe(1);
    await d.start();
    expect(g.calls).toEqual(['stop', { hosts: 3, processes_per_host: 80, churn_rate: 0.01, export_interval_seconds: 1, seed: 7 }]);
  });

  it('sends a new phase at once, nothing while the load is unchanged', async () => {
    const g = fakeGenerators();
    let now = 0;
    const d = new LoadDriver({ profile: loadProfile(PROFILES, 'spike'), timeScale: 1, hostScale: 1, seed: 42, minUpdateSeconds: 100 }, g.client, () => now);
    await d.start();
    g.calls.length = 0;
    await d.update(10);
    expect(g.calls).toEqual([]);
    now += 1; // well within minUpdateSeconds: a phase change still goes out
    await d.update(30);
    expect(g.calls).toEqual([{ hosts: 10, processes_per_host: 400, churn_rate: 0.01 }]);
    expect(d.current()).toMatchObject({ phase: 'spike', processesPerHost: 400 });
    await d.update(95);
    expect(g.calls[1]).toEqual({ hosts: 10, processes_per_host: 80, churn_rate: 0.01 });
  });

  it('within a phase (a ramp) the load changes at most every minUpdateSeconds', async () => {
    const g = fakeGenerators();
    let now = 0;
    const d = new LoadDriver({ profile: loadProfile(PROFILES, 'gradual_growth'), timeScale: 1, hostScale: 1, seed: 42, minUpdateSeconds: 5 }, g.client, () => now);
    await d.start();
    g.calls.length = 0;
    now = 1000;
    await d.update(60); // ramp moved, 1 s after the start: too soon
    expect(g.calls).toEqual([]);
    now = 6000;
    await d.update(60); // 80 x (1 + 4 x 60/600) = 112
    expect(g.calls).toEqual([{ hosts: 10, processes_per_host: 112, churn_rate: 0.01 }]);
  });
});
