import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

const PACKAGE = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*(\/.*)?$/;

/** The package an import specifier names (`@scope/name`, `name`), or undefined for relative paths and Node built-ins. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  if (!PACKAGE.test(specifier)) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return builtinModules.includes(name) ? undefined : name;
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'dist' || e.name === 'node_modules' ? [] : sourceFiles(p);
    return /\.(ts|js|cjs|mjs)$/.test(e.name) ? [p] : [];
  });
}

/**
 * The packages the sources of `moduleDir` (its src/ and test/) import without declaring them in its package.json
 * (dependencies, devDependencies or peerDependencies), each with the first file that imports it.
 */
export function undeclaredImports(moduleDir: string): Record<string, string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(moduleDir, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  const missing: Record<string, string> = {};
  for (const file of [...sourceFiles(path.join(moduleDir, 'src')), ...sourceFiles(path.join(moduleDir, 'test'))].sort()) {
    // TypeScript's own scanner: import/export ... from, import(), require(); not strings or regexes that look alike
    for (const ref of ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles) {
      const name = packageOf(ref.fileName);
      if (name && name !== pkg.name && !declared.has(name) && missing[name] === undefined) missing[name] = path.relative(moduleDir, file);
    }
  }
  return missing;
}
