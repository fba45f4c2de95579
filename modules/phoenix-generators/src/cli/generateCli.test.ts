import { formatProgress, parseGenerateArgs } from './generateCli';

describe('generate CLI', () => {
  test('parses --profile, --duration, --seed, --endpoint and --protocol', () => {
    expect(parseGenerateArgs(['--profile', 'spike', '--duration', '120', '--seed', '9', '--endpoint', 'http://c:4317', '--protocol', 'grpc'])).toMatchObject({
      profile: 'spike',
      durationSeconds: 120,
      seed: 9,
      endpoint: 'http://c:4317',
      protocol: 'grpc',
    });
  });

  test('rejects bad arguments naming the flag', () => {
    expect(() => parseGenerateArgs([])).toThrow(/--profile is required/);
    expect(() => parseGenerateArgs(['--profile', 'x', '--duration', '0'])).toThrow(/--duration: must be a number of seconds > 0/);
    expect(() => parseGenerateArgs(['--profile', 'x', '--seed', '1.5'])).toThrow(/--seed: must be an integer/);
    expect(() => parseGenerateArgs(['--profile', 'x', '--bogus'])).toThrow(/bogus/);
  });

  test('the progress line shows time, phase, load and export counts', () => {
    const line = formatProgress(
      'spike',
      {
        seq: 5,
        at: '',
        hosts: 10,
        processes: 4000,
        series: 28000,
        ok: 10,
        failed: 0,
        durationMs: 320,
        errors: [],
        churn: { spawns: 0, exits: 0, restarts: 0, resets: 0 },
        scenario: { name: 'spike', phase: 'spike', elapsedSeconds: 50, completed: false },
      },
      120,
      { ok: 50, failed: 0 },
    );
    expect(line).toBe('[spike] 50/120s phase spike | hosts 10 processes 4000 series 28000 | exports ok 50 failed 0 | interval took 0.32s');
  });
});
