/**
 * The service main (the runtime's runService, from the build in dist/): an invalid configuration
 * (also a priority rules file that cannot be used) exits 2 with every problem; SIGTERM stops a
 * running core gracefully with exit 0.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PORT_ENV } from '../src/config/coreConfig';

const MAIN = path.join(__dirname, '..', 'dist', 'main.js');

interface Run {
  code: number | null;
  lines: Array<Record<string, unknown>>;
}

/** Runs the built main with `env` on free ports; `onLine` may signal the child. */
function runMain(env: Record<string, string>, onLine: (line: Record<string, unknown>, kill: (s: NodeJS.Signals) => void) => void = () => undefined): Promise<Run> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-core-main-'));
  const ports = Object.fromEntries(Object.values(PORT_ENV).map((name) => [name, '0']));
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH, PHOENIX_DATA_DIR: dataDir, ...ports, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Run['lines'] = [];
  let rest = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) {
      const line = JSON.parse(p) as Record<string, unknown>;
      lines.push(line);
      onLine(line, (s) => child.kill(s));
    }
  });
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, lines });
    });
  });
}

describe('phoenix-core main', () => {
  test('an invalid variable exits 2 and logs every problem, each naming the config key and the variable', async () => {
    const run = await runMain({ PHOENIX_OTLP_HTTP_PORT: '99999', PHOENIX_REDUCTION_ENABLED: 'maybe' });
    expect(run.code).toBe(2);
    expect(run.lines.map((l) => [l.level, l.msg, l.service, l.errors])).toEqual([
      [
        'error',
        'invalid configuration',
        'phoenix-core',
        ['PHOENIX_REDUCTION_ENABLED: must be true or false (1/0, yes/no, on/off; got "maybe")', 'ports.otlpHttp (PHOENIX_OTLP_HTTP_PORT): must be <= 65535 (got 99999)'],
      ],
    ]);
  });

  test('a priority rules file that cannot be read exits 2 (InvalidConfigError from the constructor)', async () => {
    const run = await runMain({ PHOENIX_PRIORITY_RULES: '/nonexistent/rules.yaml' });
    expect(run.code).toBe(2);
    const last = run.lines[run.lines.length - 1];
    expect([last.level, last.msg, last.errors]).toEqual([
      'error',
      'invalid configuration',
      ["priorityRulesFile (PHOENIX_PRIORITY_RULES): cannot read /nonexistent/rules.yaml: ENOENT: no such file or directory, open '/nonexistent/rules.yaml'"],
    ]);
  });

  test('SIGTERM stops a started core gracefully: exit 0 after "stopped"', async () => {
    const run = await runMain({}, (line, kill) => {
      if (line.msg === 'phoenix-core started') kill('SIGTERM');
    });
    expect(run.code).toBe(0);
    const msgs = run.lines.map((l) => l.msg);
    expect(msgs.slice(msgs.indexOf('phoenix-core started'))).toEqual(['phoenix-core started', 'shutting down', 'stopped']);
  });
});
