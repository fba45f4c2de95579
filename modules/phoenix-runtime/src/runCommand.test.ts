import { runCommand } from './runCommand';

const node = process.execPath;

describe('runCommand', () => {
  it('feeds stdin, collects stdout and stderr apart and together, reports the exit code', async () => {
    const script = `let s='';process.stdin.on('data',(b)=>s+=b);process.stdin.on('end',()=>{console.log(s.toUpperCase());console.error('warned');process.exit(3)})`;
    const r = await runCommand(node, { args: ['-e', script], input: 'hello' });
    expect(r).toEqual({ code: 3, signal: null, killed: false, stdout: 'HELLO', stderr: 'warned', output: expect.stringMatching(/^(HELLO\nwarned|warned\nHELLO)$/), timedOut: false });
  });

  it('stops a command that runs past its timeout (SIGTERM) and says so', async () => {
    const r = await runCommand(node, { args: ['-e', 'setInterval(() => {}, 1000)'], timeoutMs: 200 });
    expect([r.timedOut, r.code, r.signal, r.killed]).toEqual([true, null, 'SIGTERM', false]);
  });

  it('passes env on top of this environment (undefined removes a variable); rejects when the command cannot start', async () => {
    process.env.PHOENIX_RUNCOMMAND_TEST = 'inherited';
    try {
      const r = await runCommand(node, { args: ['-e', 'console.log(process.env.A, process.env.PHOENIX_RUNCOMMAND_TEST)'], env: { A: 'set' } });
      expect(r.stdout).toBe('set inherited');
      const gone = await runCommand(node, { args: ['-e', 'console.log(String(process.env.PHOENIX_RUNCOMMAND_TEST))'], env: { PHOENIX_RUNCOMMAND_TEST: undefined } });
      expect(gone.stdout).toBe('undefined');
    } finally {
      delete process.env.PHOENIX_RUNCOMMAND_TEST;
    }
    await expect(runCommand('/nonexistent/phoenix-command')).rejects.toThrow('/nonexistent/phoenix-command: could not start /nonexistent/phoenix-command: spawn /nonexistent/phoenix-command ENOENT');
  });
});
