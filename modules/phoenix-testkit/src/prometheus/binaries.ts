import fs from 'node:fs';
import path from 'node:path';
import { runCommand } from '@phoenix/runtime';

/**
 * The real Prometheus server and promtool (Debian package `prometheus`) for tests. Nothing here skips
 * silently: when a binary is missing the helpers throw, and the error says how to install it.
 */

export type PrometheusBinary = 'prometheus' | 'promtool';

const EXTRA_DIRS = ['/usr/bin', '/usr/local/bin'];

/** Where `name` is: the first executable match on PATH, then /usr/bin and /usr/local/bin. */
export function findPrometheusBinary(name: PrometheusBinary, searchDirs?: string[]): string | undefined {
  const dirs = searchDirs ?? [...(process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== ''), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Like findPrometheusBinary, but throws an installation hint when the binary is missing. */
export function requirePrometheusBinary(name: PrometheusBinary, searchDirs?: string[]): string {
  const found = findPrometheusBinary(name, searchDirs);
  if (found) return found;
  throw new Error(
    `${name} was not found on PATH or in ${EXTRA_DIRS.join(', ')}. The Phoenix tests run the real Prometheus; ` +
      `install it with \`apt-get install prometheus\` (Debian/Ubuntu; the package provides both prometheus and promtool).`,
  );
}

/** Any promtool subcommand (e.g. `['check', 'rules', file]`) with `input` on stdin: its exit code and its messages. */
export async function promtool(args: string[], input = ''): Promise<{ code: number; output: string }> {
  const r = await runCommand(requirePrometheusBinary('promtool'), { args, input });
  return { code: r.code ?? (r.signal ? 128 : 1), output: r.output };
}

/**
 * `promtool check metrics` over an exposition in the text format (on stdin).
 * promtool exits 0 when clean, 1 on a parse error (malformed line, duplicate TYPE, ...) and 3 on lint
 * problems only (e.g. missing HELP, a counter without `_total`); `output` holds its messages.
 */
export function promtoolCheckMetrics(text: string): Promise<{ code: number; output: string }> {
  return promtool(['check', 'metrics'], text);
}
