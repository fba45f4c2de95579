/** Small helpers for config validation: every message starts with the config key it is about. */

export class ConfigErrors {
  readonly messages: string[] = [];
  add(key: string, problem: string): void {
    this.messages.push(`${key}: ${problem}`);
  }
  number(key: string, v: number, opts: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {}): void {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.add(key, `must be a finite number (got ${String(v)})`);
      return;
    }
    if (opts.integer && !Number.isInteger(v)) this.add(key, `must be an integer (got ${v})`);
    if (opts.min !== undefined) {
      if (opts.exclusiveMin ? v <= opts.min : v < opts.min) {
        this.add(key, `must be ${opts.exclusiveMin ? '>' : '>='} ${opts.min} (got ${v})`);
      }
    }
    if (opts.max !== undefined && v > opts.max) this.add(key, `must be <= ${opts.max} (got ${v})`);
  }
  port(key: string, v: number): void {
    this.number(key, v, { integer: true, min: 0, max: 65535 });
  }
  url(key: string, v: string | undefined, optional = false): void {
    if (v === undefined || v === '') {
      if (!optional) this.add(key, 'is required');
      return;
    }
    try {
      const u = new URL(v);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') this.add(key, `must be an http(s) URL (got ${v})`);
    } catch {
      this.add(key, `must be a URL (got ${JSON.stringify(v)})`);
    }
  }
  nonEmpty(key: string, v: string | undefined): void {
    if (typeof v !== 'string' || v.trim() === '') this.add(key, 'must be a non-empty string');
  }
}

/** True for loopback addresses and names (127.0.0.0/8, ::1, localhost). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^::ffff:/i, '').replace(/^\[|\]$/g, '');
  return a === 'localhost' || a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** An environment: variable name → value. */
export type Env = Record<string, string | undefined>;

/** Reads typed values from the environment, collecting errors that name the variable. */
export class EnvReader {
  readonly errors: string[] = [];
  constructor(private readonly env: Env) {}
  /** Trimmed value; undefined when unset or empty. */
  str(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }
  /** Set (even to empty: the empty string disables an optional URL). */
  isSet(name: string): boolean {
    return this.env[name] !== undefined;
  }
  num(name: string, fallback: number): number {
    const v = this.str(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n)) {
      this.errors.push(`${name}: must be a number (got ${JSON.stringify(v)})`);
      return fallback;
    }
    return n;
  }
  bool(name: string, fallback: boolean): boolean {
    const v = this.str(name);
    if (v === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(v)) return true;
    if (/^(0|false|no|off)$/i.test(v)) return false;
    this.errors.push(`${name}: must be true or false (got ${JSON.stringify(v)})`);
    return fallback;
  }
  /** An optional URL: the default when unset, none when set to the empty string. */
  optionalUrl(name: string, fallback: string): string | undefined {
    if (this.isSet(name) && this.str(name) === undefined) return undefined;
    return this.str(name) ?? fallback;
  }
}
