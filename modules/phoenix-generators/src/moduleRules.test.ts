import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

/**
 * The shape rules of this module (issue 15), checked on its sources: they fail when a private copy of
 * a runtime piece, an undeclared import, an `export *` or an oversized file comes back.
 */

const SRC = __dirname;
const PKG = JSON.parse(fs.readFileSync(path.join(SRC, '..', 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

function sources(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

const rel = (file: string): string => path.relative(SRC, file);
/** Built into dist/ (tsconfig: tests, testing/ and integration/ are not). */
const isShipped = (file: string): boolean => !/\.test\.ts$/.test(file) && !/^(testing|integration)\//.test(rel(file));
/** Every source but this one (whose patterns would match themselves). */
const text = new Map(sources().filter((f) => f !== __filename).map((f) => [f, fs.readFileSync(f, 'utf8')]));

/** The package a bare import specifier names (`@scope/name/x` -> `@scope/name`); undefined for relative and built-in ones. */
function packageOf(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function importsOf(source: string): string[] {
  const specs = [...source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)'([^']+)'/gm)].map((m) => m[1]);
  return [...new Set(specs.map(packageOf).filter((p): p is string => p !== undefined))];
}

describe('phoenix-generators module rules', () => {
  test('no source file is over 400 lines', () => {
    const over = [...text].filter(([, s]) => s.split('\n').length > 400).map(([f, s]) => `${rel(f)}: ${s.split('\n').length} lines`);
    expect(over).toEqual([]);
  });

  test('index.ts has named exports only, each from a module of this package', () => {
    const index = text.get(path.join(SRC, 'index.ts')) ?? '';
    expect(index).not.toMatch(/export\s*\*/);
    const statements = index.split(';').map((s) => s.trim()).filter((s) => s !== '');
    expect(statements.filter((s) => !/^export \{[^}]+\} from '\.\/[a-zA-Z/]+'$/.test(s))).toEqual([]);
    for (const s of statements) {
      const from = /from '(\.\/[a-zA-Z/]+)'$/.exec(s)?.[1] ?? '';
      expect(fs.existsSync(path.join(SRC, `${from}.ts`))).toBe(true);
    }
  });

  test('every package imported is declared in package.json (shipped code: dependencies)', () => {
    const deps = new Set(Object.keys(PKG.dependencies ?? {}));
    const all = new Set([...deps, ...Object.keys(PKG.devDependencies ?? {})]);
    const undeclared: string[] = [];
    for (const [f, s] of text) {
      for (const p of importsOf(s)) if (!(isShipped(f) ? deps : all).has(p)) undeclared.push(`${rel(f)}: ${p}`);
    }
    expect(undeclared).toEqual([]);
  });

  test('every dependency is imported by shipped code', () => {
    const used = new Set([...text].filter(([f]) => isShipped(f)).flatMap(([, s]) => importsOf(s)));
    expect(Object.keys(PKG.dependencies ?? {}).filter((d) => !used.has(d))).toEqual([]);
  });

  test('the runtime and contracts pieces are used, not copied: no own clock, logger, auth, listener, protobuf reader, YAML loader or signal handling', () => {
    for (const gone of ['common/clock.ts', 'common/logger.ts', 'api/bearerAuth.ts', 'api/apiConfig.ts', 'api/startApiServer.ts', 'otlp/protobufReader.ts']) {
      expect(fs.existsSync(path.join(SRC, gone))).toBe(false);
    }
    const copies: string[] = [];
    const forbidden: [RegExp, string][] = [
      [/export (interface|type|class) (Clock|ManualClock|TimerHandle|Logger|Lifecycle)\b/, 'a runtime type'],
      [/function (createLogger|createSilentLogger|createManualClock|createSystemClock|isLoopbackAddress|bearerAuth|readFields)\b/, 'a runtime function'],
      [/\b(http|https)\.createServer\(|\bcreateServer\(/, 'an HTTP listener (use listenHttp)'],
      [/from 'express-rate-limit'|from 'yaml'/, 'a package the runtime or contracts wrap'],
      [/timingSafeEqual|process\.on\('uncaughtException'/, 'auth or service-main plumbing'],
    ];
    for (const [f, s] of text) {
      if (!isShipped(f)) continue;
      for (const [re, what] of forbidden) if (re.test(s)) copies.push(`${rel(f)}: ${what} (${re.exec(s)?.[0]})`);
    }
    expect(copies).toEqual([]);
    const main = text.get(path.join(SRC, 'main.ts')) ?? '';
    expect(main).toMatch(/\brunService\(/);
    expect(main).not.toMatch(/process\.(on|exit)\b/);
  });
});
