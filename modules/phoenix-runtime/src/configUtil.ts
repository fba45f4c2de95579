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
