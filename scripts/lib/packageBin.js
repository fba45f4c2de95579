'use strict';
/**
 * The programs of the Phoenix modules (a service's main, the replay loader) found through the `bin` their
 * package.json declares: scripts and benchmarks start a module's program by its public entry point, never
 * by a path into its build output.
 */
const fs = require('node:fs');
const path = require('node:path');

/**
 * The file of program `bin` of package `pkg` (a declared dependency of the root package). The file may
 * not exist yet (the module is not built): callers check.
 * @param {string} pkg package name, e.g. `@phoenix/core`
 * @param {string} bin program name in its package.json `bin`, e.g. `phoenix-core`
 * @returns {string} the absolute path of the program
 */
function packageBin(pkg, bin) {
  const manifest = require.resolve(`${pkg}/package.json`);
  /** @type {{ bin?: Record<string, string> }} */
  const json = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  const file = json.bin?.[bin];
  if (file === undefined) throw new Error(`${pkg} declares no program ${bin} in its package.json bin`);
  return path.join(path.dirname(manifest), file);
}

module.exports = { packageBin };
