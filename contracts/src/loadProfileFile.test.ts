import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProfileFile, parseLoadProfile } from './loadProfileFile';

const BODY = 'version: 1\nname: mine\nhosts: 1\nprocesses_per_host: 3\nexport_interval_seconds: 1\nphases:\n  - { name: only, duration_seconds: 5, scale: 1 }\n';

describe('load profile files', () => {
  test('errors name the file and the offending fields', () => {
    const text = 'version: 1\nname: bad\nhosts: 0\nprocesses_per_host: 10\nexport_interval_seconds: 10\nphases:\n  - name: p\n    duration_seconds: 5\n';
    expect(() => parseLoadProfile(text, 'bad.yaml')).toThrow(/bad\.yaml: invalid load profile:[\s\S]*hosts: must be >= 1[\s\S]*phases\[0\]: must match exactly one schema in oneOf \(a phase sets exactly one of `scale`, `ramp` or `sine`\)/);
  });

  test('rejects YAML that does not parse', () => {
    expect(() => parseLoadProfile('a: [', 'x.yaml')).toThrow(/x\.yaml: not valid YAML/);
  });

  test('a profile file must be named after the profile', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profiles-'));
    fs.writeFileSync(path.join(dir, 'other.yaml'), BODY);
    expect(() => loadProfileFile(path.join(dir, 'other.yaml'))).toThrow(`${path.join(dir, 'other.yaml')}: name: must equal the file name "other" (got "mine")`);
    fs.writeFileSync(path.join(dir, 'mine.yaml'), BODY);
    expect(loadProfileFile(path.join(dir, 'mine.yaml'))).toMatchObject({ name: 'mine', hosts: 1, processes_per_host: 3 });
    expect(() => loadProfileFile(path.join(dir, 'absent.yaml'))).toThrow(`cannot read the load profile ${path.join(dir, 'absent.yaml')}: ENOENT`);
  });
});
