import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tmpDir(prefix = 'phoenix-validation-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const ROOT = path.resolve(__dirname, '../../..');
export const VALIDATION_MAIN = path.join(ROOT, 'modules/phoenix-validation/dist/main.js');
export const VALIDATION_CLI = path.join(ROOT, 'modules/phoenix-validation/dist/cli.js');

/** The spike profile observed for 120 scenario seconds against a fake stack at reference 8000 (with more SLO lines when given). */
export function quickSpikeScenario(extraSlo: string[] = []): string {
  return [
    '  - name: quick_spike',
    '    description: the spike profile, observed for 120 scenario seconds',
    '    profile: spike',
    '    duration_seconds: 120',
    '    reference_target_series: 8000',
    '    slo:',
    '      peak_modes: [aggressive]',
    '      min_totals_preservation: 1',
    ...extraSlo.map((l) => `      ${l}`),
  ].join('\n');
}

/** A scenario catalog (YAML) of the given scenario entries. */
export function catalogYaml(...scenarios: string[]): string {
  return `version: 1\nscenarios:\n${scenarios.join('\n')}\n`;
}
