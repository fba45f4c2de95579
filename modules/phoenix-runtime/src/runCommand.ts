import { ChildSupervisor, type ChildExit } from './childSupervisor';
import { systemClock, type Clock } from './clock';

export interface RunCommandOptions {
  args?: string[];
  cwd?: string;
  /** added to this process's environment; an undefined value removes the variable */
  env?: Record<string, string | undefined>;
  /** written to its stdin, which is then closed (default: stdin closed at once) */
  input?: string;
  /** SIGTERM after this long, SIGKILL 1 s later (default 30 s) */
  timeoutMs?: number;
  /** lines kept of its output (default 10,000) */
  tailLines?: number;
  clock?: Clock;
}

export interface CommandResult extends ChildExit {
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived */
  output: string;
  /** it was stopped because it ran past `timeoutMs` */
  timedOut: boolean;
}

/** Runs a command to its end (promtool, a service main with a bad configuration, a CLI) and collects its output. */
export async function runCommand(command: string, o: RunCommandOptions = {}): Promise<CommandResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const child = new ChildSupervisor({
    name: command,
    command,
    args: o.args,
    cwd: o.cwd,
    env: o.env,
    stdin: o.input ?? '',
    tailLines: o.tailLines ?? 10_000,
    stopGraceMs: 1000,
    clock: o.clock,
    onLine: (line, stream) => (stream === 'stdout' ? stdout : stderr).push(line),
  });
  const clock = o.clock ?? systemClock;
  await child.start();
  let timedOut = false;
  const timer = clock.setTimeout(() => {
    timedOut = true;
    void child.stop('timed out');
  }, o.timeoutMs ?? 30_000);
  const exit = await child.exited();
  clock.clearTimeout(timer);
  await child.stop();
  return { ...exit, stdout: stdout.join('\n'), stderr: stderr.join('\n'), output: child.output(), timedOut };
}
