import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tmpDir(prefix = 'phoenix-validation-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const ROOT = path.resolve(__dirname, '../../..');
export const VALIDATION_MAIN = path.join(ROOT, 'modules/phoenix-validation/dist/main.js');
export const VALIDATION_CLI = path.join(ROOT, 'modules/phoenix-validation/dist/cli.js');
