/**
 * The repository's JavaScript outside the modules' sources (bench/, scripts/, contracts/scripts/, the dashboards'
 * source, the root configs: the files of tsconfig.scripts.json) loads only packages the root package.json declares,
 * and never a module's build output (eslint's no-restricted-syntax says the same about any string naming one).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageOf } from './declaredImports';

const ROOT = path.resolve(__dirname, '../../..');
const DIRS = ['bench', 'scripts', 'contracts/scripts', 'modules/phoenix-monitoring/grafana'];
/** a quoted specifier after require( or require.resolve( or import( (JSDoc types too) or packageBin( of scripts/lib */
const SPECIFIER = /(?:\brequire(?:\.resolve)?\(\s*|\bimport\(\s*|\bpackageBin\(\s*)'([^']+)'/g;
const DIST = /(^|\/)dist(\/|$)/;

function jsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return ['node_modules', 'dist', 'results'].includes(e.name) ? [] : jsFiles(p);
    return e.name.endsWith('.js') ? [p] : [];
  });
}

interface ScriptImports {
  files: string[];
  /** package → the first file that loads it without the root package.json declaring it */
  undeclared: Record<string, string>;
  /** specifiers that name a dist/ path, with their file */
  buildOutput: string[];
}

/** What the JavaScript files under `root` load, against the root package.json. */
function scriptImports(root: string): ScriptImports {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
  const top = fs.readdirSync(root).filter((f) => f.endsWith('.js')).map((f) => path.join(root, f));
  const files = [...top, ...DIRS.flatMap((d) => jsFiles(path.join(root, d)))].map((f) => path.relative(root, f)).sort();
  const undeclared: Record<string, string> = {};
  const buildOutput: string[] = [];
  for (const file of files) {
    for (const m of fs.readFileSync(path.join(root, file), 'utf8').matchAll(SPECIFIER)) {
      const spec = m[1];
      if (DIST.test(spec)) buildOutput.push(`${file}: ${spec}`);
      const name = packageOf(spec);
      if (name && !declared.has(name) && undeclared[name] === undefined) undeclared[name] = file;
    }
  }
  return { files, undeclared, buildOutput };
}

describe('the JavaScript files of bench/ and scripts/', () => {
  it('finds what a file loads without a declaration, and dist/ paths', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-scripts-'));
    fs.mkdirSync(path.join(dir, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ dependencies: { yaml: '1' }, devDependencies: { '@x/kit': '1' } }));
    // the fixture's lines are built, so that this file itself loads nothing undeclared
    const call = (fn: string, spec: string): string => `const m = ${fn}('${spec}');`;
    const bench = [call('require', 'yaml'), call('require', 'node:fs'), call('require', './lib/x'), call('require', '@x/kit'), call('require', 'protobufjs')];
    fs.writeFileSync(path.join(dir, 'bench', 'a.js'), bench.join('\n'));
    fs.writeFileSync(path.join(dir, 'bench', 'results', 'ignored.js'), call('require', 'ignored'));
    fs.writeFileSync(path.join(dir, 'tool.config.js'), [call('require.resolve', '@x/kit/dist/y'), `/** @type {${call('import', '@x/types').slice(10, -1)}.T} */`].join('\n'));
    fs.writeFileSync(path.join(dir, 'bench', 'b.js'), [call('require', '../modules/m/dist/z'), call('packageBin', '@x/bins')].join('\n'));
    expect(scriptImports(dir)).toEqual({
      files: ['bench/a.js', 'bench/b.js', 'tool.config.js'],
      undeclared: { protobufjs: 'bench/a.js', '@x/bins': 'bench/b.js', '@x/types': 'tool.config.js' },
      buildOutput: ['bench/b.js: ../modules/m/dist/z', 'tool.config.js: @x/kit/dist/y'],
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('load only packages the root package.json declares, never a dist/ path', () => {
    const found = scriptImports(ROOT);
    expect(found.files).toEqual(expect.arrayContaining(['bench/run.js', 'bench/lib/core.js', 'scripts/start.js', 'contracts/scripts/gen-types.js', 'eslint.config.js']));
    expect(found.undeclared).toEqual({});
    expect(found.buildOutput).toEqual([]);
  });
});
