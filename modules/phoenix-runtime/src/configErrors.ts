/**
 * Config validation helpers: every message starts with the config key it is about and, when the
 * key is set by an environment variable, names the variable: `api.port (PHOENIX_API_PORT): must be ...`.
 */
export class ConfigErrors {
  readonly messages: string[] = [];
  /** `envOf` maps config keys to the variables that set them. */
  constructor(private readonly envOf: Readonly<Record<string, string>> = {}) {}

  add(key: string, problem: string): void {
    const env = this.envOf[key];
    this.messages.push(env ? `${key} (${env}): ${problem}` : `${key}: ${problem}`);
  }

  number(key: string, v: number, opts: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {}): void {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.add(key, `must be a finite number (got ${String(v)})`);
      return;
    }
    if (opts.integer && !Number.isInteger(v)) this.add(key, `must be an integer (got ${v})`);
    if (opts.min !== undefined && (opts.exclusiveMin ? v <= opts.min : v < opts.min)) {
      this.add(key, `must be ${opts.exclusiveMin ? '>' : '>='} ${opts.min} (got ${v})`);
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

  oneOf(key: string, v: string, allowed: readonly string[]): void {
    if (!allowed.includes(v)) this.add(key, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(v)})`);
  }

  /** Extra PromQL label matchers put inside a selector's braces (e.g. `job="phoenix-core"`): no braces of their own. */
  labelMatchers(key: string, v: string): void {
    if (/[{}]/.test(v)) this.add(key, 'give label matchers only, without braces (e.g. job="phoenix-core")');
  }

  /** Appends messages of a component's validate(), naming their variables. */
  addAll(messages: readonly string[]): void {
    this.messages.push(...withEnvNames(messages, this.envOf));
  }
}

/**
 * Names the environment variable in messages of the form `key: problem` (as component validators
 * write them): `key (VAR): problem`. Messages that name one already, or whose key has no variable,
 * are kept as they are; duplicates are dropped.
 */
export function withEnvNames(messages: readonly string[], envOf: Readonly<Record<string, string>>): string[] {
  const out = messages.map((m) => {
    const colon = m.indexOf(':');
    if (colon < 0) return m;
    const key = m.slice(0, colon);
    const env = envOf[key];
    return env ? `${key} (${env})${m.slice(colon)}` : m;
  });
  return [...new Set(out)];
}

/** True for loopback addresses and names (127.0.0.0/8, ::1, localhost). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^::ffff:/i, '').replace(/^\[|\]$/g, '');
  return a === 'localhost' || a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}
