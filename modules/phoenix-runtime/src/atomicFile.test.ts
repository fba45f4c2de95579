import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from './atomicFile';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-atomic-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('creates the directory, writes, replaces, and leaves no temp file', () => {
    const file = path.join(dir, 'a', 'b', 'state.json');
    writeFileAtomic(file, '{"n":1}');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"n":1}');
    writeFileAtomic(file, Buffer.from('{"n":2}'), { mode: 0o600 });
    expect(fs.readFileSync(file, 'utf8')).toBe('{"n":2}');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['state.json']);
  });

  test('a failed write leaves the old file and no temp file', () => {
    const file = path.join(dir, 'state.json');
    writeFileAtomic(file, 'old');
    fs.mkdirSync(path.join(dir, 'blocker'));
    // renaming a file over a directory fails: the target stays as it was
    expect(() => writeFileAtomic(path.join(dir, 'blocker'), 'new')).toThrow(/EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir).sort()).toEqual(['blocker', 'state.json']);
  });
});
