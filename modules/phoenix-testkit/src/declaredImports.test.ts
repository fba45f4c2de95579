import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageOf, undeclaredImports } from './declaredImports';

describe('undeclaredImports', () => {
  it('packageOf: scoped and plain names, subpaths; relative paths and Node built-ins are no package', () => {
    expect(['@phoenix/runtime', '@scope/x/deep', 'yaml', 'yaml/util', './x', '../y', 'node:fs', 'fs', 'path/posix', ' | '].map(packageOf)).toEqual([
      '@phoenix/runtime',
      '@scope/x',
      'yaml',
      'yaml',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('lists what src/ and test/ import without declaring it, with the first file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-deps-'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.mkdirSync(path.join(dir, 'test'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: '@x/self', dependencies: { yaml: '1' }, devDependencies: { jest: '1' } }));
    // the fixture's import lines are built, so that this file itself imports nothing undeclared
    const from = (what: string, spec: string): string => `import ${what} from '${spec}';`;
    const call = (fn: string, spec: string): string => `const m = ${fn}('${spec}');`;
    const src = [from('YAML', 'yaml'), from('{ x }', '@x/self'), from('fs', 'node:fs'), from('{ y }', './y'), from('protobuf', 'protobufjs')];
    fs.writeFileSync(path.join(dir, 'src', 'a.ts'), src.join('\n'));
    fs.writeFileSync(path.join(dir, 'test', 'b.test.ts'), [call('require', '@lezer/lr'), call('await import', 'protobufjs/light')].join('\n'));
    expect(undeclaredImports(dir)).toEqual({ protobufjs: 'src/a.ts', '@lezer/lr': 'test/b.test.ts' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every package of the repository (contracts and each module) declares every package it imports', () => {
    const root = path.resolve(__dirname, '../../..');
    const packages = ['contracts', ...fs.readdirSync(path.join(root, 'modules')).map((m) => `modules/${m}`)];
    // every module is a package (a folder without package.json would escape this check)
    expect(packages.filter((p) => !fs.existsSync(path.join(root, p, 'package.json')))).toEqual([]);
    const undeclared = Object.fromEntries(packages.map((p) => [p, undeclaredImports(path.join(root, p))]).filter(([, u]) => Object.keys(u).length > 0));
    expect(undeclared).toEqual({});
  });
});
