import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultProfilesDir, loadProfilesDir, resolveProfile } from './loadProfiles';
import { profileDuration, scenarioPointAt } from './scenarioSchedule';

describe('shipped load profiles', () => {
  const profiles = loadProfilesDir(defaultProfilesDir());

  test('steady, spike, gradual_growth, wave and churn_storm exist and validate against the schema', () => {
    expect([...profiles.keys()].sort()).toEqual(['churn_storm', 'gradual_growth', 'spike', 'steady', 'wave']);
    for (const p of profiles.values()) {
      expect(p.hosts).toBeGreaterThan(0);
      expect(p.processes_per_host).toBeGreaterThan(0);
      expect(p.export_interval_seconds).toBeGreaterThan(0);
      expect(p.phases.length).toBeGreaterThan(0);
    }
  });

  test('spike multiplies the processes per host by 5 for a while, then falls back', () => {
    const spike = profiles.get('spike');
    if (!spike) throw new Error('spike missing');
    const base = scenarioPointAt(spike, 0);
    const peak = scenarioPointAt(spike, 40);
    const after = scenarioPointAt(spike, 100);
    expect(peak.processesPerHost).toBe(5 * base.processesPerHost);
    expect(peak.phaseName).toBe('spike');
    expect(after.processesPerHost).toBe(base.processesPerHost);
    expect(profileDuration(spike)).toBe(120);
  });

  test('gradual_growth ramps linearly, wave oscillates and loops, churn_storm raises churn', () => {
    const g = profiles.get('gradual_growth');
    const w = profiles.get('wave');
    const c = profiles.get('churn_storm');
    if (!g || !w || !c) throw new Error('profile missing');
    expect(scenarioPointAt(g, 0).multiplier).toBeCloseTo(1);
    expect(scenarioPointAt(g, 300).multiplier).toBeCloseTo(3);
    expect(scenarioPointAt(g, 650).multiplier).toBeCloseTo(5);
    const wave = Array.from({ length: 61 }, (_, i) => scenarioPointAt(w, i * 5).processesPerHost);
    expect(Math.max(...wave)).toBe(320); // at t = 75 s
    expect(Math.min(...wave)).toBe(80); // at t = 225 s
    expect(scenarioPointAt(w, 150).processesPerHost).toBe(200);
    expect(w.loop).toBe(true);
    expect(scenarioPointAt(w, 675).completed).toBe(false);
    expect(scenarioPointAt(c, 30).churnRate).toBe(0.01);
    expect(scenarioPointAt(c, 90).churnRate).toBe(0.3);
    expect(scenarioPointAt(c, 200).churnRate).toBe(0.01);
  });

  test('without loop the end of the last phase holds and the scenario reports completion', () => {
    const spike = profiles.get('spike');
    if (!spike) throw new Error('spike missing');
    const end = scenarioPointAt(spike, 1000);
    expect(end.completed).toBe(true);
    expect(end.phaseName).toBe('recovery');
    expect(scenarioPointAt(spike, 1000, true).completed).toBe(false);
  });
});

describe('resolveProfile', () => {
  test('takes a name from the profiles directory or a path to a file named after its profile', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profiles-'));
    const body = 'version: 1\nname: mine\nhosts: 1\nprocesses_per_host: 3\nexport_interval_seconds: 1\nphases:\n  - { name: only, duration_seconds: 5, scale: 1 }\n';
    fs.writeFileSync(path.join(dir, 'other.yaml'), body);
    expect(() => resolveProfile(path.join(dir, 'other.yaml'), defaultProfilesDir())).toThrow(/name: must equal the file name "other"/);
    expect(() => loadProfilesDir(dir)).toThrow(/other\.yaml: name: must equal the file name "other"/);
    fs.writeFileSync(path.join(dir, 'mine.yaml'), body);
    expect(resolveProfile(path.join(dir, 'mine.yaml'), defaultProfilesDir()).name).toBe('mine');
    expect(resolveProfile('spike', defaultProfilesDir()).name).toBe('spike');
    expect(() => resolveProfile('nope', defaultProfilesDir())).toThrow(/unknown profile "nope"; known: churn_storm, gradual_growth, spike, steady, wave/);
  });
});
