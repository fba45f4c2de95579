import type { Clock } from './clock';
import { systemClock } from './clock';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

/** Structured logger: one JSON object per line. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go (default: stdout). */
  sink?: (line: string) => void;
  clock?: Clock;
  fields?: LogFields;
}

export function isLogLevel(v: string): v is LogLevel {
  return v in ORDER;
}

function errorFields(v: unknown): unknown {
  if (v instanceof Error) return { message: v.message, name: v.name };
  return v;
}

/** A JSON-lines logger; never throws (a field that cannot be serialised is replaced). */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? 'info';
  const sink = opts.sink ?? ((line: string) => process.stdout.write(line + '\n'));
  const clock = opts.clock ?? systemClock;
  const base = opts.fields ?? {};
  const emit = (lvl: LogLevel, msg: string, fields?: LogFields): void => {
    if (ORDER[lvl] < ORDER[level]) return;
    const rec: LogFields = { ts: new Date(clock.now()).toISOString(), level: lvl, msg, ...base };
    if (fields) for (const [k, v] of Object.entries(fields)) rec[k] = errorFields(v);
    let line: string;
    try {
      line = JSON.stringify(rec);
    } catch {
      line = JSON.stringify({ ts: rec.ts, level: lvl, msg, note: 'fields not serialisable' });
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

/** A logger that keeps its records in memory (tests). */
export function memoryLogger(): Logger & { records: LogFields[] } {
  const records: LogFields[] = [];
  const log = createLogger({ level: 'debug', sink: (line) => records.push(JSON.parse(line) as LogFields) });
  return Object.assign(log, { records });
}
