/** Severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Structured logger: one JSON object per line (`ts`, `level`, `component`, `msg`, then fields). */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
}

/** Options of createLogger. */
export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go (default: process.stdout). */
  write?: (line: string) => void;
  /** Fields on every line. */
  fields?: Record<string, unknown>;
  /** Clock for `ts` (default Date.now). */
  now?: () => number;
}

/** Whether `v` names a log level. */
export function isLogLevel(v: string): v is LogLevel {
  return v in ORDER;
}

function errorFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? { message: v.message, name: v.name } : v;
  return out;
}

/** Creates a JSON-lines logger. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const now = opts.now ?? Date.now;
  const base = opts.fields ?? {};
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < min) return;
    write(JSON.stringify({ ts: new Date(now()).toISOString(), level, ...base, msg, ...errorFields(fields ?? {}) }));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...opts, fields: { ...base, ...fields } }),
  };
}

/** A logger that drops everything (tests). */
export function createSilentLogger(): Logger {
  return createLogger({ write: () => undefined });
}
