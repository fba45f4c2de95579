import path from 'node:path';
import type { LoadProfile } from '@phoenix/contracts';
import { loadProfile } from './catalog';
import { loadPointAt, loadSteps, nextBoundaryAfter, peakProcessesPerHost, profileDuration, scaleHosts } from './schedule';

const PROFILES = path.resolve(__dirname, '../../../phoenix-generators/profiles');

const base: LoadProfile = {
  version: 1,
  name: 'unit',
  hosts: 10,
  processes_per_host: 80,
  export_interval_seconds: 10,
  churn_rate: 0.01,
  phases: [
    { name: 'a', duration_seconds: 30, scale: 1 },
    { name: 'b', duration_seconds: 60, ramp: { from: 1, to: 3 } },
    { name: 'c', duration_seconds: 30, scale: 1, churn_rate: 0.3, hosts: 4 },
  ],
};

describe('profile schedule', () => {
  it('the load at a moment: phase, multiplier, hosts (scaled), processes, churn (hand-computed)', () => {
    expect(profileDuration(base)).toBe(120);
    expect(loadPointAt(base, 0)).toMatchObject({ phase: 'a', processesPerHost: 80, hosts: 10, churnRate: 0.01, completed: false });
    expect(loadPointAt(base, 60)).toMatchObject({ phase: 'b', multiplier: 2, processesPerHost: 160 }); // half-way up the ramp
    expect(loadPointAt(base, 95, 0.5)).toMatchObject({ phase: 'c', hosts: 2, processesPerHost: 80, churnRate: 0.3 });
    // After the end (no loop): the last phase's load holds.
    expect(loadPointAt(base, 500)).toMatchObject({ phase: 'c', completed: true, hosts: 4 });
    // Looping: starts over.
    expect(loadPointAt({ ...base, loop: true }, 125)).toMatchObject({ phase: 'a', completed: false });
  });

  it('hosts scale with the budget (rounded, at least 1)', () => {
    expect(scaleHosts(10, 0.3)).toBe(3);
    expect(scaleHosts(10, 2.5)).toBe(25);
    expect(scaleHosts(10, 0.01)).toBe(1);
  });

  it('steps: phase boundaries where the load jumps, or the churn changes; not a ramp end', () => {
    expect(loadSteps(base, 1000)).toEqual([{ atSeconds: 90, kind: 'down', phase: 'c' }]); // 30: ramp starts at x1 (no jump); 90: 10x240 -> 4x80
    const spike = loadProfile(PROFILES, 'spike');
    expect(loadSteps(spike, 480)).toEqual([
      { atSeconds: 30, kind: 'up', phase: 'spike' },
      { atSeconds: 90, kind: 'down', phase: 'recovery' },
    ]);
    expect(loadSteps(spike, 60)).toEqual([{ atSeconds: 30, kind: 'up', phase: 'spike' }]);
    expect(loadSteps(loadProfile(PROFILES, 'gradual_growth'), 720)).toEqual([]);
    expect(loadSteps(loadProfile(PROFILES, 'wave'), 1200)).toEqual([]); // a sine starting over is continuous
    expect(loadSteps(loadProfile(PROFILES, 'churn_storm'), 240)).toEqual([
      { atSeconds: 60, kind: 'churn', phase: 'storm' },
      { atSeconds: 180, kind: 'churn', phase: 'aftermath' },
    ]);
  });

  it('next phase boundary, with loops', () => {
    expect(nextBoundaryAfter(base, 0)).toBe(30);
    expect(nextBoundaryAfter(base, 30)).toBe(90);
    expect(nextBoundaryAfter(base, 100)).toBe(120);
    expect(nextBoundaryAfter(base, 120)).toBe(Infinity);
    expect(nextBoundaryAfter({ ...base, loop: true }, 125)).toBe(150);
  });

  it('peak processes per host', () => {
    expect(peakProcessesPerHost(base)).toBe(240);
    expect(peakProcessesPerHost(loadProfile(PROFILES, 'wave'))).toBe(320);
  });
});
