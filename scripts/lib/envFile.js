'use strict';
/** The env files of environments/ as the scripts read them (`npm start`, the Docker stack test). */
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

/**
 * Parses an env file: KEY=value lines, whole-line # comments; the same subset docker compose reads.
 * @param {string} file
 * @returns {Record<string, string>} the variables, in file order
 * @throws {Error} `<file>:<line>: expected KEY=value, got "<line>"` (the file relative to the repository root)
 */
function readEnvFile(file) {
  /** @type {Record<string, string>} */
  const vars = {};
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(t);
    if (!m) throw new Error(`${path.relative(root, file)}:${i + 1}: expected KEY=value, got ${JSON.stringify(line)}`);
    vars[m[1]] = m[2];
  });
  return vars;
}

module.exports = { readEnvFile };
