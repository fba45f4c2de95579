import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultCatalogPath, defaultProfilesDir, findScenario, loadCatalog, loadProfile, parseCatalog } from './catalog';

describe('scenario catalog', () => {
  it('the shipped catalog is valid, has the five scenarios, and each drives a shipped generators profile', () => {
    const c = loadCatalog(defaultCatalogPath());
    expect(c.scenarios.map((s) => s.name)).toEqual(['baseline_steady_state', 'cardinality_spike', 'gradual_growth', 'wave_pattern', 'churn_storm']);
    for (const s of c.scenarios) {
      const p = loadProfile(defaultProfilesDir(), s.profile);
      expect(p.name).toBe(s.profile);
      expect(Object.keys(s.slo).length).toBeGreaterThan(0);
    }
    expect(findScenario(c, 'cardinality_spike')?.profile).toBe('spike');
    expect(findScenario(c, 'nope')).toBeUndefined();
  });

  it('an invalid catalog is refused with errors naming the field', () => {
    expect(() => parseCatalog('version: 1\nscenarios:\n  - name: x\n    profile: spike\n    duration_seconds: -1\n    slo: {}\n', 'bad.yaml')).toThrow(
      /bad\.yaml: invalid scenario catalog:[\s\S]*scenarios\[0\]\.description: is required[\s\S]*scenarios\[0\]\.duration_seconds: must be > 0/,
    );
    expect(() => parseCatalog('version: 1\nscenarios: [', 'broken.yaml')).toThrow(/broken\.yaml: not valid YAML/);
    const dup = 'version: 1\nscenarios:\n' + ['a', 'a'].map((n) => `  - name: ${n}\n    description: d\n    profile: spike\n    duration_seconds: 1\n    slo: { max_transitions: 1 }\n`).join('');
    expect(() => parseCatalog(dup, 'dup.yaml')).toThrow(/scenarios\[1\]\.name: duplicate scenario "a"/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-validation-catalog-'));
    fs.writeFileSync(path.join(dir, 'dup.yaml'), dup);
    expect(() => loadCatalog(path.join(dir, 'dup.yaml'))).toThrow(`${path.join(dir, 'dup.yaml')}: scenarios[1].name: duplicate scenario "a"`);
    expect(() => loadCatalog(path.join(dir, 'none.yaml'))).toThrow(`cannot read the scenario catalog ${path.join(dir, 'none.yaml')}: ENOENT`);
  });

  it('a profile file must exist, be valid and carry its own name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-validation-profiles-'));
    expect(() => loadProfile(dir, 'missing')).toThrow(/cannot read/);
    fs.writeFileSync(path.join(dir, 'other.yaml'), fs.readFileSync(path.join(defaultProfilesDir(), 'spike.yaml')));
    expect(() => loadProfile(dir, 'other')).toThrow(/name: must equal the file name "other"/);
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'version: 1\nname: bad\n');
    expect(() => loadProfile(dir, 'bad')).toThrow(/invalid load profile/);
  });
});
