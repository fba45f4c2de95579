/** An environment: variable name → value. */
export type Env = Record<string, string | undefined>;

/** `1`, `true`, `yes`, `on` → true; `0`, `false`, `no`, `off` → false (any case); else undefined. */
export function parseBool(raw: string): boolean | undefined {
  const v = raw.trim();
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  return undefined;
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration in milliseconds: a number with a unit (`250ms`, `1.5s`, `2m`, `1h`), or a bare number
 * in `bareUnit` (the unit the variable's name says, e.g. `_SECONDS`). Undefined when it does not parse
 * or is negative.
 */
export function parseDuration(raw: string, bareUnit: 'ms' | 's' = 's'): number | undefined {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(raw);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!Number.isFinite(n) || n < 0) return undefined;
  return n * DURATION_UNITS_MS[(m[2] ?? bareUnit).toLowerCase()];
}

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** A size in bytes: a whole number of bytes, or a number with `B`, `KB`/`MB`/`GB` (10³) or `KiB`/`MiB`/`GiB` (2¹⁰). */
export function parseSize(raw: string): number | undefined {
  const m = /^\s*([0-9]*\.?[0-9]+)\s*([a-z]+)?\s*$/i.exec(raw);
  if (!m) return undefined;
  const unit = SIZE_UNITS[(m[2] ?? 'b').toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Number(m[1]) * unit;
  return Number.isFinite(bytes) && Number.isInteger(bytes) ? bytes : undefined;
}

/**
 * Reads typed values from the environment, one parser per kind for every service, collecting
 * errors that name the variable. Range checks belong to the component's `validate()`.
 */
export class EnvReader {
  readonly errors: string[] = [];
  constructor(private readonly env: Env) {}

  /** Trimmed value; undefined when unset or empty. */
  str(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  /** Set (even to the empty string, which disables an optional URL). */
  isSet(name: string): boolean {
    return this.env[name] !== undefined;
  }

  num(name: string, fallback: number): number {
    const v = this.str(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n)) return this.fail(name, `must be a number (got ${JSON.stringify(v)})`, fallback);
    return n;
  }

  int(name: string, fallback: number): number {
    const v = this.str(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n)) return this.fail(name, `must be an integer (got ${JSON.stringify(v)})`, fallback);
    return n;
  }

  /** `1/true/yes/on` or `0/false/no/off`. */
  bool(name: string, fallback: boolean): boolean {
    const v = this.str(name);
    if (v === undefined) return fallback;
    const b = parseBool(v);
    if (b === undefined) return this.fail(name, `must be true or false (1/0, yes/no, on/off; got ${JSON.stringify(v)})`, fallback);
    return b;
  }

  /** A duration in seconds (`30`, `500ms`, `2m`, `1h`). */
  seconds(name: string, fallbackSeconds: number): number {
    const v = this.str(name);
    if (v === undefined) return fallbackSeconds;
    const ms = parseDuration(v, 's');
    if (ms === undefined) return this.fail(name, `must be a duration such as 30, 500ms, 2m (got ${JSON.stringify(v)})`, fallbackSeconds);
    return ms / 1000;
  }

  /** A duration in milliseconds; a bare number is read in `bareUnit`. */
  millis(name: string, fallbackMs: number, bareUnit: 'ms' | 's' = 'ms'): number {
    const v = this.str(name);
    if (v === undefined) return fallbackMs;
    const ms = parseDuration(v, bareUnit);
    if (ms === undefined) return this.fail(name, `must be a duration such as 250ms, 30s, 2m (got ${JSON.stringify(v)})`, fallbackMs);
    return ms;
  }

  /** A size in bytes (`16384`, `16KiB`, `1MB`). */
  bytes(name: string, fallback: number): number {
    const v = this.str(name);
    if (v === undefined) return fallback;
    const n = parseSize(v);
    if (n === undefined) return this.fail(name, `must be a size in bytes such as 16384, 16KiB, 1MB (got ${JSON.stringify(v)})`, fallback);
    return n;
  }

  /** A comma-separated list (entries trimmed, empty ones dropped); the fallback when unset. */
  list(name: string, fallback: readonly string[]): string[] {
    const v = this.env[name];
    if (v === undefined) return [...fallback];
    return v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }

  /** One of `allowed`. */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.str(name);
    if (v === undefined) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    return this.fail(name, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(v)})`, fallback);
  }

  /** An optional URL: the default when unset, none when set to the empty string. */
  optionalUrl(name: string, fallback: string): string | undefined {
    if (this.isSet(name) && this.str(name) === undefined) return undefined;
    return this.str(name) ?? fallback;
  }

  private fail<T>(name: string, problem: string, fallback: T): T {
    this.errors.push(`${name}: ${problem}`);
    return fallback;
  }
}
