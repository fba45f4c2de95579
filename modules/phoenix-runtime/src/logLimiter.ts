import type { Clock } from './clock';
import type { LogFields, Logger } from './log';

export interface LogLimiterOptions {
  /** lines logged per key before the limiter holds back (default 10) */
  first?: number;
  /** after that, at most one line per key per interval, carrying the count held back (default 60 s) */
  intervalMs?: number;
  clock: Pick<Clock, 'now'>;
}

/** Logs of a hot path, limited per key: the first N lines, then one line per interval with the count. */
export interface LogLimiter {
  warn(key: string, msg: string, fields?: LogFields): void;
  error(key: string, msg: string, fields?: LogFields): void;
  /** lines held back so far, over every key */
  suppressed(): number;
}

interface KeyState {
  seen: number;
  held: number;
  lastAt: number;
}

/**
 * Rate-limited logging for code that runs per request or per point: the first `first` events of a
 * key are logged as they come; later ones at most once per `intervalMs`, with
 * `suppressed` (events held back since the last line) and `total` (events of the key so far).
 */
export function createLogLimiter(log: Logger, opts: LogLimiterOptions): LogLimiter {
  const first = opts.first ?? 10;
  const interval = opts.intervalMs ?? 60_000;
  const keys = new Map<string, KeyState>();
  let suppressedTotal = 0;
  const emit = (level: 'warn' | 'error', key: string, msg: string, fields?: LogFields): void => {
    const now = opts.clock.now();
    let s = keys.get(key);
    if (!s) {
      // bounded: a flood of distinct keys must not grow memory without end
      if (keys.size >= 1000) keys.clear();
      s = { seen: 0, held: 0, lastAt: -Infinity };
      keys.set(key, s);
    }
    s.seen += 1;
    if (s.seen <= first) {
      s.lastAt = now;
      log[level](msg, fields);
      return;
    }
    if (now - s.lastAt >= interval) {
      log[level](msg, { ...fields, suppressed: s.held, total: s.seen });
      s.held = 0;
      s.lastAt = now;
      return;
    }
    s.held += 1;
    suppressedTotal += 1;
  };
  return {
    warn: (k, m, f) => emit('warn', k, m, f),
    error: (k, m, f) => emit('error', k, m, f),
    suppressed: () => suppressedTotal,
  };
}
