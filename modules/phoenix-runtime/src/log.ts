import type { Clock } from './clock';
import { systemClock } from './clock';

/** Severity of a log line, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

/**
 * Structured logger: one JSON object per line, `{ts, level, msg, ...fields}`. Services name
 * themselves with `service`, components with `component` (`log.child({ component: 'receiver' })`).
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go, without the newline (default: stdout). */
  sink?: (line: string) => void;
  /** Clock of the `ts` field. */
  clock?: Pick<Clock, 'now'>;
  /** Fields on every line. */
  fields?: LogFields;
}

export function isLogLevel(v: string): v is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(v);
}

function fieldValue(v: unknown): unknown {
  if (v instanceof Error) return { message: v.message, name: v.name };
  return v;
}

/** A JSON-lines logger; it never throws (a field that cannot be serialised is replaced by a note). */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? 'info';
  const sink = opts.sink ?? ((line: string) => process.stdout.write(line + '\n'));
  const clock = opts.clock ?? systemClock;
  const base = opts.fields ?? {};
  const emit = (lvl: LogLevel, msg: string, fields?: LogFields): void => {
    if (ORDER[lvl] < ORDER[level]) return;
    const rec: LogFields = { ts: new Date(clock.now()).toISOString(), level: lvl, msg, ...base };
    if (fields) for (const [k, v] of Object.entries(fields)) rec[k] = fieldValue(v);
    let line: string;
    try {
      line = JSON.stringify(rec);
    } catch {
      line = JSON.stringify({ ts: rec.ts, level: lvl, msg, ...base, note: 'fields not serialisable' });
    }
    try {
      sink(line);
    } catch {
      /* logging never breaks the caller */
    }
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ level, sink, clock, fields: { ...base, ...fields } }),
  };
}

/** A logger that drops everything (tests). */
export function silentLogger(): Logger {
  return createLogger({ sink: () => undefined, level: 'error' });
}

/** A logger that keeps its records in memory, every level (tests). */
export function memoryLogger(opts: { clock?: Pick<Clock, 'now'> } = {}): Logger & { records: LogFields[] } {
  const records: LogFields[] = [];
  const log = createLogger({ level: 'debug', clock: opts.clock, sink: (line) => records.push(JSON.parse(line) as LogFields) });
  return Object.assign(log, { records });
}
